"""Pages for credited effort: record a credit on a task's page, remove one (coordinators of
the task's region; the task's page lists them for every role)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from capacity.models import Location
from municipalities.models import Municipality, Role
from municipalities.roles import role_required

from .choices import CreditKind
from .forms import NUMBER, SELECT, TEXT, _date_input, apply_service_errors
from .models import MAX_TOTAL, Credit
from .services import credit_create, credit_remove
from .views import _assignment, _region_code


class CreditForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Gemeente"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort inzet"),
        choices=CreditKind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    places = forms.IntegerField(
        label=gettext_lazy("Aantal plaatsen"),
        min_value=1,
        max_value=MAX_TOTAL,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Uiterlijk gereed op"),
        required=False,
        help_text=gettext_lazy("Bij geplande inspanning verplicht."),
        widget=_date_input(),
    )
    location = forms.ModelChoiceField(
        label=gettext_lazy("Locatie van de plaatsen"),
        queryset=Location.objects.none(),
        to_field_name="code",
        required=False,
        help_text=gettext_lazy(
            "Optioneel. Sluit de locatie, dan vervalt de inzet en telt het tekort weer."
        ),
        widget=forms.Select(attrs=SELECT),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3, "class": "utrecht-textarea"}),
    )

    def __init__(self, *args, region_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.in_region(region_code).order_by(
            "name"
        )
        self.fields["location"].queryset = (
            Location.objects.in_region(region_code)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )


@role_required(Role.COORDINATOR)
def credit_new(request, code: str):
    assignment = _assignment(request, code)
    form = CreditForm(request.POST or None, region_code=assignment.region.code)
    if request.method == "POST" and form.is_valid():
        try:
            credit_create(assignment=assignment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De inzet is verrekend."))
            return redirect("allocation:assignment-detail", code=assignment.code)
    return render(request, "allocation/credit_form.html", {"form": form, "assignment": assignment})


@require_POST
@role_required(Role.COORDINATOR)
def credit_remove_view(request, pk: int):
    credit = get_object_or_404(Credit.objects.select_related("assignment__region"), pk=pk)
    if credit.assignment.region.code != _region_code(request.user):
        raise PermissionDenied(_("Deze taakstelling hoort bij een andere veiligheidsregio."))
    code = credit.assignment.code
    credit_remove(credit=credit)
    messages.success(request, _("De verrekende inzet is verwijderd."))
    return redirect("allocation:assignment-detail", code=code)
