import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind, NotificationSettings, Weekday

SELECT = {"class": "utrecht-select utrecht-select--html-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}

# The model's Dutch day names, in the page's language.
WEEKDAYS = [(value, _(label)) for value, label in Weekday.choices]
# The hourly run sends at whole hours, so the page offers whole hours (06:00 to 20:00).
HOURS = [(datetime.time(hour, 0), f"{hour:02d}:00") for hour in range(6, 21)]

KIND_LABELS = {
    NotificationKind.REPORT_REMINDER: _("Herinnering als een locatie deze week nog niet is geteld"),
    NotificationKind.REGION_DIGEST: _("Weekoverzicht van de regio"),
    NotificationKind.ACTION_REMINDER: _("Herinnering bij acties op mijn naam"),
    NotificationKind.THRESHOLD_ALERT: _(
        "Direct bericht als een bezettingsdrempel wordt overschreden"
    ),
}
KIND_HELP = {
    NotificationKind.REPORT_REMINDER: _(
        "Op de gekozen dag en tijd, en twee dagen later nog eens als er dan nog een telling "
        "ontbreekt."
    ),
    NotificationKind.REGION_DIGEST: _(
        "Wie nog niet heeft gemeld, doelgroepen boven de drempels, aflopende contracten, acties "
        "en meldingen ter controle."
    ),
    NotificationKind.ACTION_REMINDER: _(
        "Enkele dagen voor de deadline, en als de deadline is verstreken."
    ),
    NotificationKind.THRESHOLD_ALERT: _(
        "Zodra een nieuwe telling de bezetting van een doelgroep boven de waarschuwing of het "
        "kantelpunt brengt."
    ),
}


class HourField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[(value.isoformat(timespec="minutes"), label) for value, label in HOURS],
            coerce=lambda value: datetime.time.fromisoformat(value),
            widget=forms.Select(attrs=SELECT),
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, datetime.time):
            return value.isoformat(timespec="minutes")
        return value


class NotificationSettingsForm(forms.Form):
    """The kinds a user's roles get, on or off, the days and times, and the language."""

    reminder_weekday = forms.TypedChoiceField(
        label=_("Dag van de herinnering"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.Select(attrs=SELECT),
    )
    reminder_time = HourField(label=_("Tijd van de herinnering"))
    digest_weekday = forms.TypedChoiceField(
        label=_("Dag van het weekoverzicht"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.Select(attrs=SELECT),
    )
    digest_time = HourField(label=_("Tijd van het weekoverzicht"))
    language = forms.ChoiceField(
        label=_("Taal van de e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, kinds: list[str], prefs: NotificationSettings, **kwargs):
        initial = {
            name: getattr(prefs, name)
            for name in [*NotificationKind.values, *self.base_fields.keys()]
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind] = forms.BooleanField(
                label=KIND_LABELS[kind],
                help_text=KIND_HELP[kind],
                required=False,
                widget=forms.CheckboxInput(attrs=CHECKBOX),
            )
        # Days and times only for the kinds that have them.
        if NotificationKind.REPORT_REMINDER not in kinds:
            del self.fields["reminder_weekday"], self.fields["reminder_time"]
        if NotificationKind.REGION_DIGEST not in kinds:
            del self.fields["digest_weekday"], self.fields["digest_time"]

    def kind_fields(self):
        return [self[kind] for kind in self.kinds]

    def schedule_fields(self):
        names = ["reminder_weekday", "reminder_time", "digest_weekday", "digest_time"]
        return [self[name] for name in names if name in self.fields]
