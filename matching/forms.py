from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.forms import CHECKBOX, SELECT, TEXT, DateInput
from municipalities.models import Municipality

from .choices import Category
from .models import MAX_PEOPLE, PlacementRequest
from .services import REQUEST_FIELDS


class PlacementRequestForm(forms.ModelForm):
    """The request the phone team takes; the preferred municipality lies in the region."""

    class Meta:
        model = PlacementRequest
        fields = list(REQUEST_FIELDS)
        widgets = {"arrival_date": DateInput(attrs=TEXT)}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_municipality"].queryset = Municipality.objects.filter(
            safety_region=region
        ).order_by("name")
        self.fields["preferred_municipality"].empty_label = _("Geen voorkeur")
        self.fields["people"].widget.attrs.update({"min": 1, "max": MAX_PEOPLE})
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.update(CHECKBOX)
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.update(SELECT)
            else:
                field.widget.attrs.update(TEXT)


class PlaceForm(forms.Form):
    """Confirm a placement into one location of the ranked list."""

    location = forms.CharField(widget=forms.HiddenInput, max_length=40)
    people = forms.IntegerField(
        label=_("Aantal personen"),
        min_value=1,
        max_value=MAX_PEOPLE,
        widget=forms.NumberInput(attrs=TEXT),
    )
    category = forms.ChoiceField(
        label=_("Categorie"), choices=Category.choices, widget=forms.Select(attrs=SELECT)
    )
