from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..forms import TEXT, DateInput
from ..models import NOT_NEGATIVE, PermitHolderReport

NUMBER = {
    "class": "utrecht-textbox utrecht-textbox--html-input capacity-count",
    "min": 0,
    "inputmode": "numeric",
}
# More than any municipality houses in a half year; keeps the number within the column.
MAX_COUNT = 100_000


def _count(label: str, help_text: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        validators=[MinValueValidator(0, NOT_NEGATIVE), MaxValueValidator(MAX_COUNT)],
        widget=forms.NumberInput(attrs=NUMBER),
        **kwargs,
    )


class PermitHolderReportForm(forms.Form):
    """One municipality's housing report of one date. The page shows the report of that date
    if there is one; its version travels along (`seen_version`, empty when there was none),
    so a save after someone else reported for that date is refused instead of overwriting."""

    date = forms.DateField(label=_("Datum"), widget=DateInput(attrs=TEXT))
    housed = _count(
        _("Gehuisvest"), _("Statushouders gehuisvest sinds de vorige melding van uw gemeente.")
    )
    housed_amv = _count(
        _("Waarvan amv"),
        _("Alleenstaande minderjarigen onder de gehuisveste statushouders."),
        initial=0,
    )
    linked = _count(
        _("Gekoppeld"),
        _(
            "Statushouders die op deze datum aan uw gemeente gekoppeld zijn, maar nog niet "
            "gehuisvest."
        ),
    )
    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_report(cls, report: PermitHolderReport | None, *, date) -> "PermitHolderReportForm":
        """The unbound form of `date`, prefilled with that date's report if there is one."""
        if report is None:
            return cls(initial={"date": date, "housed_amv": 0, "seen_version": ""})
        return cls(
            initial={
                "date": date,
                "housed": report.housed,
                "housed_amv": report.housed_amv,
                "linked": report.linked,
                "seen_version": str(report.version),
            }
        )

    def seen(self) -> int | None:
        """The version of the report the page showed; None when it showed none (or a garbled
        value, which then cannot pass for the current one)."""
        value = str(self.cleaned_data.get("seen_version") or "")
        return int(value) if value.isdigit() else None
