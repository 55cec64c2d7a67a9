"""The coordinators' form for a national figure (the occupancy entered as a percentage)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import TargetGroup

TEXT = "utrecht-textbox utrecht-textbox--html-input"


class NationalFigureForm(forms.Form):
    target_group = forms.ChoiceField(
        label=_("Doelgroep"),
        choices=TargetGroup.choices,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date", "class": TEXT}, format="%Y-%m-%d"),
    )
    available_places = forms.IntegerField(
        label=_("Beschikbare plekken (landelijk)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": TEXT}),
    )
    occupancy_percent = forms.DecimalField(
        label=_("Bezettingsgraad (landelijk, %)"),
        help_text=_("Bijvoorbeeld 92 of 92,5."),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"class": TEXT, "inputmode": "decimal"}),
    )
    source = forms.CharField(
        label=_("Bron"),
        required=False,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("available_places") is None and cleaned.get("occupancy_percent") is None:
            raise forms.ValidationError(
                _("Geef de beschikbare plekken, de bezettingsgraad of allebei.")
            )
        return cleaned

    @property
    def occupancy_rate(self) -> Decimal | None:
        percent = self.cleaned_data.get("occupancy_percent")
        return None if percent is None else (percent / 100).quantize(Decimal("0.001"))
