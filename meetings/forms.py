from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Advice


class AnnotationForm(forms.Form):
    """The own annotation on one agenda item: an advice and a free text."""

    advice = forms.ChoiceField(label=_("Advies"), choices=Advice.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Annotatie"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "class": "utrecht-textarea utrecht-textarea--html-textarea"}
        ),
        help_text=_("Alleen zichtbaar voor de accounts van uw eigen gemeente of organisatie."),
    )
