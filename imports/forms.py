from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import kinds_for
from .reading import SNIFF_BYTES, UnreadableFile, sniff_format


class ImportUploadForm(forms.Form):
    """Kind of file and the file. The kinds offered are the ones the user's role may import;
    the file is checked by extension, size and content before anything else reads it."""

    kind = forms.ChoiceField(
        label=_("Soort bestand"),
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "accept": ".csv,.xlsx"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is te groot; de grens is %(mb)s MB.") % {"mb": limit // 1_000_000}
            )
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        try:
            sniff_format(upload.name, head)
        except UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
