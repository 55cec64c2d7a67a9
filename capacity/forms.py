import datetime
import hashlib
import hmac

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NOT_NEGATIVE, Location, OccupancyThreshold
from .permissions import editable_municipalities
from .services import LOCATION_FIELDS, SeenReport, WeeklyRow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}


class LocationForm(forms.ModelForm):
    """Create or edit a location. The municipality choice is limited to what the user may
    edit; the version the page showed travels along to refuse a concurrent overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Location
        fields = list(LOCATION_FIELDS)
        widgets = {
            "opened_on": DateInput(attrs=TEXT),
            "contract_end": DateInput(attrs=TEXT),
            "notes": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = editable_municipalities(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.update(CHECKBOX)
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.update(SELECT)
            elif not isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(TEXT)
        if self.instance.pk:
            # The code is the location's stable identifier (URLs, imports, API): fixed.
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version

    def location_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in LOCATION_FIELDS}
        if self.instance.pk:
            data.pop("code")
        return data


class WeeklyCountsForm(forms.Form):
    """The grid: capacity, occupied and reserved per location, prefilled with each
    location's latest report. A row left entirely empty is not reported.

    Each row carries the id and version of the report it was prefilled from (hidden field
    `<code>__seen`), so a save after someone else changed those figures is refused instead
    of overwriting them. Locations must be annotated with `with_latest_report_version`.

    Implausible figures are held (`hold`): the page asks "Klopt dit?" per row, keeps what
    was typed, and offers a confirm button whose value (`confirm_token`) stands for exactly
    the figures asked about; a changed figure makes the token stale, so the grid asks again
    instead of saving something the user did not confirm."""

    FIGURES = ("capacity", "occupied", "reserved")
    CONFIRM = "confirm"

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = list(locations)
        self.row_errors: dict[str, list[str]] = {}
        self.questions: dict[str, list[str]] = {}
        for location in self.locations:
            for figure in self.FIGURES:
                self.fields[self.field_name(location, figure)] = forms.IntegerField(
                    required=False,
                    validators=[MinValueValidator(0, NOT_NEGATIVE)],
                    widget=forms.NumberInput(
                        attrs={
                            "class": "utrecht-textbox utrecht-textbox--html-input capacity-count",
                            "min": 0,
                            "inputmode": "numeric",
                        }
                    ),
                )
            self.fields[self.field_name(location, "seen")] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            if not self.is_bound:
                self.initial.update(self.prefill(location))

    @staticmethod
    def field_name(location: Location, figure: str) -> str:
        return f"{location.code}__{figure}"

    def prefill(self, location: Location) -> dict[str, object]:
        """What a row shows before anything is typed: the latest report's figures (empty
        without one) and the token of that report."""
        seen = (
            f"{location.report_id}.{location.report_version}"
            if location.report_id is not None
            else ""
        )
        values: dict[str, object] = {self.field_name(location, "seen"): seen}
        for figure in self.FIGURES:
            value = getattr(location, f"report_{figure}") if location.report_date else None
            values[self.field_name(location, figure)] = "" if value is None else value
        return values

    def typed_codes(self) -> set[str]:
        """The codes of the rows whose posted figures differ from what the grid was
        prefilled with: figures the user typed and that are not saved yet."""
        typed = set()
        for location in self.locations:
            prefill = self.prefill(location)
            for figure in self.FIGURES:
                name = self.field_name(location, figure)
                field = self.fields[name]
                raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                if field.has_changed(prefill[name], raw):
                    typed.add(location.code)
                    break
        return typed

    def refreshed(self, *, locations: list[Location], codes: set[str]) -> "WeeklyCountsForm":
        """The same posted grid over freshly read `locations`, with the rows in `codes`
        showing their current figures and report (a row just confirmed, or one someone else
        changed). The other rows keep what was typed and the report token they were shown
        with, so saving them later still refuses figures changed in between."""
        data = self.data.copy()
        for location in locations:
            if location.code in codes:
                for name, value in self.prefill(location).items():
                    data[self.add_prefix(name)] = str(value)
        return WeeklyCountsForm(data, locations=locations, prefix=self.prefix)

    def clean(self):
        cleaned = super().clean()
        for location in self.locations:
            values = [cleaned.get(self.field_name(location, figure)) for figure in self.FIGURES]
            capacity, occupied, _remark = values
            names = [self.field_name(location, figure) for figure in self.FIGURES]
            if any(name in self.errors for name in names):
                continue
            if (capacity is None) != (occupied is None):
                self.add_row_error(
                    location, _("Vul capaciteit en bezet allebei in, of laat de regel leeg.")
                )
        return cleaned

    def add_row_error(self, location: Location, message: str) -> None:
        self.row_errors.setdefault(location.code, []).append(message)
        self.add_error(None, f"{location.name}: {message}")

    def add_service_errors(self, row_errors: dict[str, dict[str, list[str]]]) -> None:
        by_code = {location.code: location for location in self.locations}
        for code, fields in row_errors.items():
            location = by_code[code]
            for field, messages in fields.items():
                for message in messages:
                    if field in self.FIGURES:
                        self.add_error(self.field_name(location, field), message)
                    else:
                        self.add_row_error(location, message)

    def seen(self) -> dict[int, SeenReport | None]:
        """Per location id, the report the submitted grid was prefilled from (None: none).
        Read from the raw data, so it also serves the one-click "unchanged" button; a
        missing or garbled value counts as "none shown" and so cannot pass for current."""
        seen: dict[int, SeenReport | None] = {}
        for location in self.locations:
            value = self.data.get(self.add_prefix(self.field_name(location, "seen")), "")
            report_id, _dot, version = str(value).partition(".")
            seen[location.pk] = (
                SeenReport(int(report_id), int(version))
                if report_id.isdigit() and version.isdigit()
                else None
            )
        return seen

    def confirm_token(self) -> str:
        """A digest of every submitted row's figures (and the date): what the user saw when
        the grid asked "Klopt dit?"."""
        state = ";".join(
            f"{row.location.code}:{row.capacity}:{row.occupied}:{row.reserved}"
            for row in self.rows()
        )
        date = self.data.get("date", "")
        return hashlib.sha256(f"{date}|{state}".encode()).hexdigest()[:32]

    def confirmed(self) -> bool:
        """The user pressed the confirm button for exactly the figures now submitted."""
        token = self.data.get(self.add_prefix(self.CONFIRM), "")
        return bool(token) and hmac.compare_digest(str(token), self.confirm_token())

    def hold(self, questions: dict[str, list[str]]) -> None:
        """Nothing was saved: these rows (by location code) wait for the user's "Klopt dit?"."""
        self.questions = dict(questions)

    def held_questions(self) -> list[str]:
        return [text for texts in self.questions.values() for text in texts]

    def rows(self) -> list[WeeklyRow]:
        rows = []
        for location in self.locations:
            capacity = self.cleaned_data.get(self.field_name(location, "capacity"))
            occupied = self.cleaned_data.get(self.field_name(location, "occupied"))
            if capacity is None and occupied is None:
                continue
            reserved = self.cleaned_data.get(self.field_name(location, "reserved")) or 0
            rows.append(WeeklyRow(location, capacity, occupied, reserved))
        return rows

    def grid(self) -> list[dict]:
        """Per location: the bound fields and messages, for the template. `unsaved` marks
        a row shown again with figures the user typed and that were not saved."""
        typed = self.typed_codes() if self.is_bound else set()
        return [
            {
                "location": location,
                "fields": [self[self.field_name(location, figure)] for figure in self.FIGURES],
                "seen": self[self.field_name(location, "seen")],
                "errors": self.row_errors.get(location.code, []),
                "unsaved": location.code in typed,
                "questions": self.questions.get(location.code, []),
            }
            for location in self.locations
        ]


class CountsDateForm(forms.Form):
    date = forms.DateField(label=_("Peildatum"), widget=DateInput(attrs=TEXT), required=False)

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"] or timezone.localdate()
        if date > timezone.localdate():
            raise forms.ValidationError(_("Een datum in de toekomst kan niet."))
        return date


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = OccupancyThreshold
        fields = ["warning", "tipping_point"]
        widgets = {
            "warning": forms.NumberInput(attrs={**TEXT, "step": "0.001"}),
            "tipping_point": forms.NumberInput(attrs={**TEXT, "step": "0.001"}),
        }


ThresholdFormSet = forms.modelformset_factory(
    OccupancyThreshold, form=ThresholdForm, extra=0, can_delete=False
)
