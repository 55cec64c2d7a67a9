"""Building blocks of the meetings admin: who gets in, and forms that stay quick and compact."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from allocation.models import Assignment
from capacity.discretion import named_only
from capacity.models import Location
from municipalities.models import Role
from municipalities.roles import region_of

from .models import Meeting
from .permissions import bodies_kept_by
from .services import user_may_edit_meetings


class SecretaryOnly:
    """On top of the model permissions (granted to the secretary group), require the secretary
    role itself, so a staff account of another role never edits the minutes."""

    def has_module_permission(self, request):
        return user_may_edit_meetings(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return user_may_edit_meetings(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return user_may_edit_meetings(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return user_may_edit_meetings(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return user_may_edit_meetings(request.user) and super().has_delete_permission(request, obj)


class NeuterName:
    """For a model whose Dutch name takes "het" (het overleg, het agendapunt): Django's Dutch
    admin catalogue has one article for every model, so it reports "De overleg ‘…’ is
    toegevoegd/gewijzigd/verwijderd". Those messages all reach `message_user` starting with
    "De <name> "; that article becomes "Het". Other languages and messages pass unchanged."""

    def message_user(self, request, message, *args, **kwargs):
        text = str(message)
        wrong = f"De {self.opts.verbose_name} "
        if text.startswith(wrong):
            # Only the article changes, so text that was safe (escaped names, links) stays safe.
            text = "Het " + text.removeprefix("De ")
            message = mark_safe(text) if isinstance(message, SafeData) else text
        super().message_user(request, message, *args, **kwargs)


class SharedChoices:
    """Evaluate the options of a select once per page instead of once per inline row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            field.choices = list(field.choices)
        return field


class CompactTextInputs:
    """Tabular inlines: text inputs sized to their column instead of the admin's 20em, so a
    row of attendance or agenda items fits a laptop screen."""

    input_sizes: dict[str, int] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.input_sizes:
            field.widget.attrs["class"] = ""
            field.widget.attrs["size"] = self.input_sizes[db_field.name]
        return field


class LabelledRowsFormSet(BaseInlineFormSet):
    """A tabular inline's inputs sit under a column header, not beside a label: give each one
    an accessible name of its own ("Onderwerp, rij 2"), so a screen reader tells them apart
    (WCAG 2.1 1.3.1 and 4.1.2; axe: label, select-name)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if index is None:
            row = _("nieuwe rij")
        else:
            row = _("rij %(number)d") % {"number": index + 1}
        for field in form.fields.values():
            widget = field.widget
            inner = getattr(widget, "widget", widget)  # the select inside a related-field wrapper
            if widget.is_hidden or "aria-label" in inner.attrs:
                continue
            name = f"{capfirst(str(field.label or ''))}, {row}".lstrip(", ")
            # New dicts: a related-field wrapper's copy can share its attrs with the original.
            inner.attrs = {**inner.attrs, "aria-label": name}
            if widget is not inner:
                widget.attrs = {**widget.attrs, "aria-label": name}


class LabelledRows:
    """Tabular inlines whose inputs each carry an accessible name (LabelledRowsFormSet)."""

    formset = LabelledRowsFormSet


def number_new_rows(formset) -> None:
    """Save an inline formset, placing rows added without a position after the existing ones,
    in the order they were typed."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    fresh = [obj for obj in instances if obj._state.adding and not obj.position]
    if fresh:
        model = type(fresh[0])
        parent_field = formset.fk.name
        last = (
            model.objects.filter(**{parent_field: formset.instance}).aggregate(
                last=Max("position")
            )["last"]
            or 0
        )
        for n, obj in enumerate(fresh, start=1):
            obj.position = last + n
    for obj in instances:
        obj.save()
    formset.save_m2m()


class RegionScoped:
    """A secretary sees and edits only the rows of the bodies they keep (their own region's,
    `permissions.bodies_kept_by`); a superuser sees everything. `body_path` leads from the
    row to its body ("" for a body itself)."""

    body_path = "body"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        lookup = f"{self.body_path}__in" if self.body_path else "pk__in"
        return queryset.filter(**{lookup: bodies_kept_by(request.user)})


def meetings_with_body(user):
    """The meetings a select may offer: those of the bodies the user keeps."""
    meetings = Meeting.objects.select_related("body").order_by("-date")
    if user.is_superuser:
        return meetings
    return meetings.filter(body__in=bodies_kept_by(user))


def people_with_a_role(user):
    """Action owners to choose from: people with a role in the user's region."""
    people = (
        get_user_model()
        .objects.filter(groups__name__in=Role.values)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    if user.is_superuser:
        return people
    region = region_of(user)
    return people.filter(membership__safety_region=region) if region else people.none()


def locations_of_region(user):
    """Locations an agenda item may name: those of the user's region, without those yet to
    open that the user may not name (`capacity.discretion`)."""
    locations = Location.objects.select_related("municipality").order_by("name")
    if user.is_superuser:
        return locations
    region = region_of(user)
    return named_only(user, locations.in_region(region.code)) if region else locations.none()


def assignments_of_region(user):
    """Assignments a decision may name: those of the user's region."""
    assignments = Assignment.objects.order_by("code")
    if user.is_superuser:
        return assignments
    region = region_of(user)
    return assignments.filter(region=region) if region else assignments.none()


def dmy(value) -> str:
    return f"{value:%d-%m-%Y}" if value else "–"


def exc_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class LockedWhenAdopted:
    """Adopted minutes are the record: once the next meeting has adopted them, their agenda
    items, entries and attendance are shown read-only and cannot be added, changed or deleted
    (also not through a bulk delete, which asks the same permission per row). A correction is
    recorded at a later meeting instead. `meeting_of(obj)` leads from the object the admin asks
    about (for an inline: its parent) to its meeting."""

    def meeting_of(self, obj):
        raise NotImplementedError

    def minutes_locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and self.meeting_of(obj).minutes_locked

    def has_add_permission(self, request, *args):
        if args and self.minutes_locked(args[0]):
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return not self.minutes_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.minutes_locked(obj) and super().has_delete_permission(request, obj)
