from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacity.choices import LocationType, TargetGroup
from municipalities.models import Municipality

from .choices import Issuer, Key, Method, ShareStatus
from .models import MAX_TOTAL, Assignment, Share
from .services import Options

NUMBER = {"class": "utrecht-textbox utrecht-textbox--html-input allocation-number"}
TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}


def _date_input():
    return forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")


def apply_service_errors(form: forms.Form, exc: ValidationError, field_of=lambda key: key) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        name = field_of(key)
        form.add_error(name if name in form.fields else None, messages)


class WhatIfForm(forms.Form):
    """Try a distribution over the region's municipalities, then save it as a task."""

    total = forms.IntegerField(
        label=_("Totaal aantal plaatsen"),
        min_value=0,
        max_value=MAX_TOTAL,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    key = forms.ChoiceField(
        label=_("Verdeelsleutel"),
        choices=Key.choices,
        initial=Key.POPULATION,
        widget=forms.Select(attrs=SELECT),
    )
    reference_date = forms.DateField(
        label=_("Peildatum kerncijfers"),
        required=False,
        help_text=_("Leeg: het laatst bekende cijfer."),
        widget=_date_input(),
    )
    method = forms.ChoiceField(
        label=_("Verdeelmethode"),
        choices=Method.choices,
        initial=Method.LARGEST_REMAINDER,
        widget=forms.Select(attrs=SELECT),
    )
    minimum = forms.IntegerField(
        label=_("Minimum per gemeente"),
        min_value=0,
        max_value=MAX_TOTAL,
        initial=0,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    maximum = forms.IntegerField(
        label=_("Maximum per gemeente"),
        min_value=0,
        max_value=MAX_TOTAL,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    area_weight = forms.DecimalField(
        label=_("Aandeel landoppervlakte (0 tot 1)"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        initial=Decimal("0.5"),
        help_text=_("Alleen bij de sleutel 'mix van inwonertal en landoppervlakte'."),
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.05"}),
    )
    # The task the distribution becomes when it is saved.
    code = forms.SlugField(
        label=_("Code"),
        required=False,
        max_length=60,
        help_text=_("Vaste sleutel, bijvoorbeeld asylum-2024-01."),
        widget=forms.TextInput(attrs=TEXT),
    )
    title = forms.CharField(
        label=_("Titel"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    target_group = forms.ChoiceField(
        label=_("Doelgroep"),
        required=False,
        choices=[("", "---------"), *TargetGroup.choices],
        widget=forms.Select(attrs=SELECT),
    )
    issuer = forms.ChoiceField(
        label=_("Opdrachtgever"),
        required=False,
        choices=[("", "---------"), *Issuer.choices],
        widget=forms.Select(attrs=SELECT),
    )
    starts_on = forms.DateField(
        label=_("Begindatum"),
        required=False,
        help_text=_(
            "Statushouders: wie vanaf deze datum tot en met de uiterste datum is gehuisvest, "
            "telt voor de taakstelling."
        ),
        widget=_date_input(),
    )
    deadline = forms.DateField(label=_("Uiterste datum"), required=False, widget=_date_input())
    available_from = forms.DateField(
        label=_("Beschikbaar vanaf"),
        required=False,
        help_text=_(
            "Optioneel: begin van de periode waarin de plekken elke dag beschikbaar moeten "
            "zijn. Gerealiseerd is dan het laagste aantal plekken op één dag van die periode."
        ),
        widget=_date_input(),
    )
    available_until = forms.DateField(
        label=_("Beschikbaar tot en met"),
        required=False,
        help_text=_("Optioneel: einde van die periode; daarna is de taakstelling afgelopen."),
        widget=_date_input(),
    )
    location_types = forms.MultipleChoiceField(
        label=_("Meetellende locatietypen"),
        required=False,
        choices=LocationType.choices,
        help_text=_(
            "De plekken van deze locatietypen tellen mee voor de taakstelling, bijvoorbeeld "
            "azc, noodopvang COA en amv voor de reguliere asieltaak, crisisnoodopvang voor een "
            "crisistaak. Niets aangevinkt: alle locatietypen van de doelgroep. Niet bij "
            "statushouders."
        ),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
    )
    follows = forms.ModelChoiceField(
        label=_("Volgt op"),
        required=False,
        queryset=Assignment.objects.none(),
        to_field_name="code",
        help_text=_(
            "Statushouders: de taakstelling van de vorige periode; haar achterstand of "
            "voorsprong per gemeente telt mee. Leeg laten bij een begindatum: de dag na haar "
            "uiterste datum."
        ),
        widget=forms.Select(attrs=SELECT),
    )
    notes = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3, "class": "utrecht-textarea"}),
    )

    TASK_FIELDS = ("code", "title", "target_group", "issuer")

    def __init__(
        self,
        *args,
        municipalities: list[Municipality],
        saving: bool = False,
        followable=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if followable is not None:
            self.fields["follows"].queryset = followable
        self.municipalities = municipalities
        self.saving = saving
        for municipality in municipalities:
            code = municipality.code
            for prefix, label in (
                ("min", _("Minimum")),
                ("max", _("Maximum")),
                ("credit", _("Eerdere inzet")),
            ):
                self.fields[f"{prefix}_{code}"] = forms.IntegerField(
                    label=f"{label} {municipality.name}",
                    required=False,
                    min_value=0,
                    max_value=MAX_TOTAL,
                    widget=forms.NumberInput(attrs=NUMBER),
                )
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=f"{_('Eigen gewicht')} {municipality.name}",
                required=False,
                min_value=0,
                max_digits=20,
                decimal_places=6,
                widget=forms.NumberInput(attrs={**NUMBER, "step": "any"}),
            )
            self.fields[f"exclude_{code}"] = forms.BooleanField(
                label=f"{_('Uitsluiten')} {municipality.name}",
                required=False,
                widget=forms.CheckboxInput(attrs=CHECKBOX),
            )

    def rows(self) -> list[dict]:
        """Per municipality its bound fields, for the table in the template."""
        return [
            {
                "municipality": municipality,
                "inputs": [
                    self[f"{prefix}_{municipality.code}"]
                    for prefix in ("min", "max", "credit", "weight", "exclude")
                ],
            }
            for municipality in self.municipalities
        ]

    def clean(self):
        data = super().clean()
        if self.saving:
            for name in self.TASK_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Nodig om de verdeling als taakstelling op te slaan."))
        return data

    def _per_municipality(self, prefix: str) -> dict:
        return {
            m.code: self.cleaned_data[f"{prefix}_{m.code}"]
            for m in self.municipalities
            if self.cleaned_data.get(f"{prefix}_{m.code}") is not None
        }

    def options(self) -> Options:
        data = self.cleaned_data
        return Options(
            key=data["key"],
            reference_date=data.get("reference_date"),
            method=data["method"],
            minimum=data["minimum"],
            maximum=data.get("maximum"),
            minimums=self._per_municipality("min"),
            maximums=self._per_municipality("max"),
            credits=self._per_municipality("credit"),
            exclude=tuple(m.code for m in self.municipalities if data.get(f"exclude_{m.code}")),
            weights=self._per_municipality("weight") if data["key"] == Key.CUSTOM else {},
            area_weight=data["area_weight"],
        )

    def assignment_fields(self) -> dict:
        """Keyword arguments for ``assignment_create`` (without region and user)."""
        options = self.options()
        data = self.cleaned_data
        return {
            "code": data["code"],
            "title": data["title"],
            "target_group": data["target_group"],
            "issuer": data["issuer"],
            "total": data["total"],
            "location_types": data.get("location_types") or [],
            "starts_on": data.get("starts_on"),
            "deadline": data.get("deadline"),
            "available_from": data.get("available_from"),
            "available_until": data.get("available_until"),
            "follows": data.get("follows"),
            "reference_date": options.reference_date,
            "key": options.key,
            "method": options.method,
            "minimum": options.minimum,
            "maximum": options.maximum,
            "minimums": options.minimums,
            "maximums": options.maximums,
            "credits": options.credits,
            "exclude": options.exclude,
            "weights": options.weights,
            "area_weight": options.area_weight,
            "notes": data.get("notes", ""),
        }


class AgreedSharesForm(forms.Form):
    """The agreed share and reason of every municipality, edited as one table."""

    def __init__(self, *args, shares: list[Share], **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = shares
        for share in shares:
            code = share.municipality.code
            self.fields[f"agreed_{code}"] = forms.IntegerField(
                label=f"{_('Afgesproken aandeel')} {share.municipality.name}",
                required=False,
                min_value=0,
                max_value=MAX_TOTAL,
                initial=share.agreed_share,
                widget=forms.NumberInput(attrs=NUMBER),
            )
            self.fields[f"reason_{code}"] = forms.CharField(
                label=f"{_('Reden')} {share.municipality.name}",
                required=False,
                initial=share.agreed_reason,
                widget=forms.TextInput(attrs=TEXT),
            )
            self.fields[f"status_{code}"] = forms.ChoiceField(
                label=f"{_('Status aandeel')} {share.municipality.name}",
                choices=ShareStatus.choices,
                required=False,
                initial=share.status,
                widget=forms.Select(attrs=SELECT),
            )

    def rows(self) -> list[dict]:
        return [
            {
                "share": share,
                "agreed": self[f"agreed_{share.municipality.code}"],
                "reason": self[f"reason_{share.municipality.code}"],
                "status": self[f"status_{share.municipality.code}"],
            }
            for share in self.shares
        ]

    def agreed(self) -> dict[str, tuple[int | None, str]]:
        return {
            share.municipality.code: (
                self.cleaned_data.get(f"agreed_{share.municipality.code}"),
                self.cleaned_data.get(f"reason_{share.municipality.code}", ""),
            )
            for share in self.shares
        }

    def statuses(self) -> dict[str, str]:
        """The status chosen per municipality (rows without one keep theirs); a row with an
        agreed number is agreed anyway."""
        return {
            share.municipality.code: self.cleaned_data[f"status_{share.municipality.code}"]
            for share in self.shares
            if self.cleaned_data.get(f"agreed_{share.municipality.code}") is None
            and self.cleaned_data.get(f"status_{share.municipality.code}")
        }

    def field_of(self, key: str) -> str | None:
        return f"agreed_{key}" if f"agreed_{key}" in self.fields else None


class ExchangeForm(forms.Form):
    from_municipality = forms.ModelChoiceField(
        label=_("Gemeente die plaatsen afstaat"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
    )
    to_municipality = forms.ModelChoiceField(
        label=_("Gemeente die plaatsen overneemt"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        help_text=_("Dezelfde gemeente bij saldering tussen doelgroepen."),
        widget=forms.Select(attrs=SELECT),
    )
    to_assignment = forms.ModelChoiceField(
        label=_("Taakstelling waarin de plaatsen terechtkomen"),
        queryset=Assignment.objects.none(),
        to_field_name="code",
        help_text=_(
            "Dezelfde taakstelling bij overname tussen gemeenten; een taakstelling voor een "
            "andere doelgroep bij saldering."
        ),
        widget=forms.Select(attrs=SELECT),
    )
    places = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=MAX_TOTAL,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    ratio_from = forms.IntegerField(
        label=_("Verhouding: plaatsen afgestaan"),
        required=False,
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("Bij saldering tussen doelgroepen, bijvoorbeeld 1 op 2; anders 1."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    ratio_to = forms.IntegerField(
        label=_("Verhouding: plaatsen overgenomen"),
        required=False,
        min_value=1,
        max_value=100,
        initial=1,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3, "class": "utrecht-textarea"}),
    )
    date = forms.DateField(label=_("Datum afspraak"), widget=_date_input())

    def __init__(self, *args, assignment: Assignment, municipalities, assignments, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("to_assignment", assignment.code)
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["from_municipality"].queryset = municipalities
        self.fields["to_municipality"].queryset = municipalities
        self.fields["to_assignment"].queryset = assignments

    def clean(self):
        cleaned = super().clean()
        # Left empty: one place for one place.
        for name in ("ratio_from", "ratio_to"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 1
        return cleaned
