"""The phone team's pages: take a request, see the ranked locations, place, end placements.

Thin: check the role, call a service, render. Matching pages are for coordinators; project
leaders place into their own locations through the API.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from capacity.models import Location
from municipalities.models import Role
from municipalities.roles import region_of, role_required

from .choices import NEEDS, Category, PlacementStatus
from .filters import PlacementFilter
from .forms import PlaceForm, PlacementRequestForm
from .models import Placement, PlacementRequest
from .permissions import check_can_place, check_can_use_request, visible_placements
from .selectors import placement_counts, placements_listed
from .services import (
    Criteria,
    NoRoomError,
    matches_find,
    placement_create,
    placement_end,
    placement_request_create,
)

PAGE_SIZE = 100


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(None if field not in form.fields else field, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(Role.COORDINATOR)
def find(request):
    region = region_of(request.user)
    form = PlacementRequestForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            placement_request = placement_request_create(
                region=region, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("matching:request", pk=placement_request.pk)
    return render(request, "matching/find.html", {"form": form})


def _request_page(request, placement_request: PlacementRequest, place_form=None, status=200):
    matches = matches_find(
        criteria=Criteria.of_request(placement_request),
        region_code=placement_request.region.code,
    )
    placements = placements_listed(placement_request.placements.all())
    needs = [label for name, label in NEEDS if getattr(placement_request, name)]
    return render(
        request,
        "matching/request_detail.html",
        {
            "placement_request": placement_request,
            "matches": matches,
            "placements": placements,
            "needs": needs,
            "place_form": place_form,
            "categories": Category.choices,
        },
        status=status,
    )


def _request_for(request, pk: int) -> PlacementRequest:
    placement_request = get_object_or_404(
        PlacementRequest.objects.select_related("region", "preferred_municipality", "created_by"),
        pk=pk,
    )
    check_can_use_request(request.user, placement_request)
    return placement_request


@role_required(Role.COORDINATOR)
def request_detail(request, pk: int):
    return _request_page(request, _request_for(request, pk))


@require_POST
@role_required(Role.COORDINATOR)
def place(request, pk: int):
    placement_request = _request_for(request, pk)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return _request_page(request, placement_request, place_form=form, status=400)
    location = get_object_or_404(
        Location.objects.select_related("municipality"), code=form.cleaned_data["location"]
    )
    check_can_place(request.user, location)
    try:
        placement = placement_create(
            location=location,
            people=form.cleaned_data["people"],
            target_group=placement_request.target_group,
            category=form.cleaned_data["category"],
            request=placement_request,
            user=request.user,
        )
    except NoRoomError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s persoon geplaatst in %(name)s.",
                "%(count)s personen geplaatst in %(name)s.",
                placement.people,
            )
            % {"count": placement.people, "name": location.name},
        )
    return redirect("matching:request", pk=placement_request.pk)


@role_required(Role.COORDINATOR)
def placement_list(request):
    scoped = visible_placements(request.user)
    filterset = PlacementFilter(request.GET or None, queryset=scoped, request=request)
    placements = filterset.qs
    page = Paginator(placements_listed(placements), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/placement_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "counts": placement_counts(placements),
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def placement_finish(request, pk: int):
    placement = get_object_or_404(Placement.objects.select_related("location__municipality"), pk=pk)
    check_can_place(request.user, placement.location)
    status = request.POST.get("status")
    if status not in (PlacementStatus.CANCELLED, PlacementStatus.DEPARTED):
        messages.error(request, _("Kies annuleren of vertrek."))
    else:
        try:
            placement = placement_end(placement=placement, status=status, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Plaatsing in %(name)s is %(value)s.")
                % {
                    "name": placement.location.name,
                    "value": placement.get_status_display().lower(),
                },
            )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/matching/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("matching:placements")
