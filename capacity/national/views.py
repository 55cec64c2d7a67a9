"""`/national-figures/`: the national figures per target group. Every role reads them (they
are national, not a region's); coordinators enter them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Role
from municipalities.roles import has_role, role_required

from ..models import NationalFigure
from .forms import NationalFigureForm
from .selectors import NATIONAL_TIPPING_POINT, NATIONAL_WARNING, national_picture
from .services import national_figure_record

SHOWN = 52


@role_required(*Role.values)
def national_figures(request):
    may_enter = has_role(request.user, Role.COORDINATOR)
    form = NationalFigureForm(request.POST or None) if may_enter else None
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("Alleen coördinatoren voeren landelijke cijfers in."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                figure = national_figure_record(
                    target_group=data["target_group"],
                    date=data["date"],
                    available_places=data["available_places"],
                    occupancy_rate=form.occupancy_rate,
                    source=data["source"],
                    user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    name = "occupancy_percent" if field == "occupancy_rate" else field
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(
                    request, _("Landelijk cijfer van %(day)s opgeslagen.") % {"day": figure}
                )
                return redirect("capacity:national-figures")
    figures = NationalFigure.objects.select_related("entered_by").order_by("-date", "target_group")[
        :SHOWN
    ]
    return render(
        request,
        "capacity/national_figures.html",
        {
            "form": form,
            "figures": figures,
            "current": national_picture(on=timezone.localdate()),
            "warning": NATIONAL_WARNING,
            "tipping_point": NATIONAL_TIPPING_POINT,
        },
    )
