"""Private annotations: whose they are, who reads them, and writing them.

An annotation belongs to its owner: a municipality (written by its project leaders) or, for
the coordinators of the VRT, their safety region. The owner's accounts read it, nobody else:
not another municipality, not the secretary who keeps the minutes, not a provincial reader,
not in any list, export or API answer of another account. `owner_of(user)` states the rule
once; the pages and the API read through `annotations_of(user)` only. A note readable by
everyone through the API is the failure this module exists to prevent.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role
from municipalities.roles import has_role, membership_of

from .models import AgendaItem, Meeting, PrivateAnnotation
from .services import MeetingError

NOT_AN_AUTHOR = _(
    "Alleen een projectleider (voor de eigen gemeente) of een coördinator (voor de eigen "
    "organisatie) schrijft eigen annotaties."
)
ALREADY_ANNOTATED = _(
    "Uw organisatie heeft al een annotatie bij dit agendapunt; wijzig die in plaats van een "
    "nieuwe te maken."
)


@dataclass(frozen=True)
class Owner:
    """A municipality (`municipality_id`) or a safety region's organisation (`region_id`)."""

    municipality_id: int | None = None
    region_id: int | None = None

    def q(self, *, prefix: str = "") -> Q:
        if self.municipality_id is not None:
            return Q(**{f"{prefix}municipality_id": self.municipality_id})
        return Q(**{f"{prefix}safety_region_id": self.region_id})

    def fields(self) -> dict:
        return {"municipality_id": self.municipality_id, "safety_region_id": self.region_id}


def owner_of(user) -> Owner | None:
    """Whose annotations `user` reads and writes: a project leader their municipality's, a
    coordinator their region's (the VRT); anybody else none (secretary, provincial reader)."""
    if not user or not user.is_authenticated:
        return None
    membership = membership_of(user)
    if membership is None:
        return None
    if has_role(user, Role.PROJECT_LEADER) and membership.municipality_id is not None:
        return Owner(municipality_id=membership.municipality_id)
    if has_role(user, Role.COORDINATOR):
        return Owner(region_id=membership.safety_region_id)
    return None


def may_annotate(user) -> bool:
    return owner_of(user) is not None


def annotations_of(user):
    """The annotations `user` reads: their owner's, on meetings they read. None for others."""
    owner = owner_of(user)
    if owner is None:
        return PrivateAnnotation.objects.none()
    meetings = Meeting.objects.visible_to(user)
    return (
        PrivateAnnotation.objects.filter(owner.q(), item__meeting__in=meetings)
        .select_related("item__meeting__body", "author")
        .order_by("-item__meeting__date", "item__position", "item__pk", "pk")
    )


def items_annotatable_by(user):
    """The agenda items `user` may annotate: those of the meetings they read."""
    if owner_of(user) is None:
        return AgendaItem.objects.none()
    return AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user))


def annotated_agenda(*, meeting: Meeting, user) -> list[tuple[AgendaItem, PrivateAnnotation]]:
    """The agenda of `meeting` with the user's own annotation per item (None where there is
    none yet): two queries, whatever the length of the agenda."""
    own = {
        annotation.item_id: annotation
        for annotation in annotations_of(user).filter(item__meeting=meeting)
    }
    items = meeting.agenda_items.order_by("position", "pk")
    return [(item, own.get(item.pk)) for item in items]


@transaction.atomic
def annotation_create(*, user, item: AgendaItem, advice: str, text: str = "") -> PrivateAnnotation:
    """A new annotation of the user's owner on `item`; one per item per owner."""
    owner = owner_of(user)
    if owner is None:
        raise MeetingError(NOT_AN_AUTHOR)
    if PrivateAnnotation.objects.filter(owner.q(), item=item).exists():
        raise MeetingError(ALREADY_ANNOTATED)
    annotation = PrivateAnnotation(
        item=item, advice=advice, text=text, author=user, **owner.fields()
    )
    annotation.full_clean()
    annotation.save()
    return annotation


@transaction.atomic
def annotation_update(
    *, user, annotation: PrivateAnnotation, advice: str, text: str
) -> PrivateAnnotation:
    """Change the advice and text; the annotation stays with its owner and item."""
    owner = owner_of(user)
    if owner is None or not PrivateAnnotation.objects.filter(owner.q(), pk=annotation.pk).exists():
        raise MeetingError(NOT_AN_AUTHOR)
    annotation.advice = advice
    annotation.text = text
    annotation.author = user
    annotation.full_clean()
    annotation.save(update_fields=["advice", "text", "author", "updated_at"])
    return annotation
