"""The secretary's workplace: meetings with their agenda and attendance, agenda items with their
entries, and the register of all entries. Only the secretary role (and superusers) gets in, and
a secretary sees and edits only the bodies of their own safety region, with their meetings,
items and entries (`RegionScoped`); the selects offer that region's meetings, people,
locations and assignments. Provincial bodies (the PRT) are for superusers: see
`permissions.bodies_kept_by`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from municipalities.models import SafetyRegion
from municipalities.roles import region_of

from .admin_support import (
    CompactTextInputs,
    LabelledRows,
    LockedWhenAdopted,
    NeuterName,
    RegionScoped,
    SecretaryOnly,
    SharedChoices,
    assignments_of_region,
    dmy,
    exc_message,
    locations_of_region,
    meetings_with_body,
    number_new_rows,
    people_with_a_role,
)
from .attachments import attachment_version_add
from .documents import document_check
from .models import (
    MAX_SPEARHEADS,
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    Entry,
    EntryKind,
    Meeting,
    MinutesCorrection,
    Portfolio,
    Spearhead,
)
from .pack import PackError, meeting_pack_send, pack_last_send, pack_sent_display
from .permissions import bodies_kept_by
from .portfolios import check_holders, holders_allowed
from .services import (
    MeetingError,
    action_mark_done,
    actions_carry_over,
    attendance_prefill,
    meeting_next,
    minutes_approve,
    user_may_edit_meetings,
)


def entry_choices(db_field, request, kwargs: dict) -> dict:
    """The selects of an entry, limited to what the user's region may name."""
    user = request.user
    if db_field.name == "closed_at_meeting":
        kwargs["queryset"] = meetings_with_body(user)
    elif db_field.name == "owner_user":
        kwargs["queryset"] = people_with_a_role(user)
    elif db_field.name == "owner_municipality":
        kwargs["queryset"] = db_field.related_model.objects.order_by("name")
    elif db_field.name == "assignment":
        kwargs["queryset"] = assignments_of_region(user)
    elif db_field.name == "portfolio":
        kwargs["queryset"] = portfolios_kept_by(user)
    return kwargs


def portfolios_kept_by(user):
    """The portfolios an item or entry may name: those of the bodies the user keeps."""
    return (
        Portfolio.objects.filter(body__in=bodies_kept_by(user))
        .select_related("body")
        .order_by("body__code", "theme", "title")
    )


@admin.register(Body)
class BodyAdmin(NeuterName, SecretaryOnly, RegionScoped, admin.ModelAdmin):
    list_display = ["code", "name", "safety_region", "province", "municipal_attendance"]
    list_select_related = ["safety_region", "province"]
    search_fields = ["code", "name"]
    body_path = ""

    def get_fields(self, request, obj=None):
        fields = ["code", "name", "safety_region", "province", "municipal_attendance"]
        if request.user.is_superuser:
            return fields
        # A secretary's bodies are in their own region: shown, fixed, and checked for a
        # duplicate code there.
        return [field for field in fields if field != "province"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "safety_region" and not request.user.is_superuser:
            region = region_of(request.user)
            kwargs["queryset"] = SafetyRegion.objects.filter(pk=getattr(region, "pk", None))
            kwargs["initial"] = getattr(region, "pk", None)
            kwargs["disabled"] = True
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AgendaItemInline(
    SecretaryOnly, LockedWhenAdopted, LabelledRows, CompactTextInputs, admin.TabularInline
):
    model = AgendaItem
    input_sizes = {"number": 8, "heading": 24, "title": 40}
    fields = ["position", "number", "heading", "title", "entries_link"]
    readonly_fields = ["entries_link"]
    extra = 0
    ordering = ["position", "pk"]
    show_change_link = False

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def meeting_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("Besluiten, knelpunten en acties"))
    def entries_link(self, obj):
        if obj.pk is None:
            return _("Eerst opslaan")
        url = reverse("admin:meetings_agendaitem_change", args=[obj.pk])
        return format_html(
            '<a href="{}">{} ({})</a>', url, _("bewerk punt"), getattr(obj, "entry_count", 0)
        )


class AttendanceInline(
    SecretaryOnly,
    LockedWhenAdopted,
    LabelledRows,
    SharedChoices,
    CompactTextInputs,
    admin.TabularInline,
):
    model = Attendance
    input_sizes = {"organisation": 16, "person": 16, "role": 16}
    fields = ["position", "municipality", "organisation", "person", "role", "presence"]
    extra = 0
    ordering = ["position", "pk"]

    def meeting_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = db_field.related_model.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorrectionInline(SecretaryOnly, admin.StackedInline):
    """Corrections of adopted minutes, each recorded at a later meeting. Only adopted minutes
    take one (a draft is simply edited), and a recorded correction stays as it was."""

    model = MinutesCorrection
    fk_name = "meeting"
    fields = ["recorded_at", "item", "text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.minutes_locked and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "recorded_at":
            kwargs["queryset"] = meetings_with_body(request.user)
        elif db_field.name == "item":
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id).order_by(
                "position", "pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(NeuterName, SecretaryOnly, RegionScoped, admin.ModelAdmin):
    list_display = [
        "__str__",
        "date_display",
        "times",
        "venue",
        "status",
        "minutes_approved_at",
        "open_actions",
        "pages",
    ]
    list_filter = [("body", admin.RelatedOnlyFieldListFilter), "status"]
    date_hierarchy = "date"
    search_fields = ["venue", "chair", "agenda_items__title"]
    list_select_related = ["body", "minutes_approved_at__body"]
    ordering = ["-date"]
    fieldsets = [
        (None, {"fields": ["body", "date", ("start_time", "end_time"), "venue", "chair"]}),
        (
            _("Verslag"),
            {"fields": ["status", "minutes_approved_at", "next_meeting_on", "pages"]},
        ),
        (_("Vergaderstukken"), {"fields": ["pack_sent"]}),
    ]
    readonly_fields = ["pages", "pack_sent"]
    actions = ["carry_over_open_actions", "approve_minutes_at_next_meeting", "send_pack"]

    def has_send_pack_permission(self, request):
        """Sending the pack is the secretary's: the role and the permission to record it."""
        return user_may_edit_meetings(request.user) and request.user.has_perm(
            "meetings.add_meetingpacksend"
        )

    def get_queryset(self, request):
        return super().get_queryset(request).with_open_action_count()

    def get_inlines(self, request, obj):
        # Attendance rows for the region's municipalities are added when the meeting is first
        # saved (attendance_prefill), so the add page only asks for the agenda.
        if obj is None:
            return [AgendaItemInline]
        if obj.minutes_locked:
            return [AgendaItemInline, MeetingAttachmentInline, AttendanceInline, CorrectionInline]
        return [AgendaItemInline, MeetingAttachmentInline, AttendanceInline]

    def get_readonly_fields(self, request, obj=None):
        # Adopted minutes keep their header; only a correction can still be recorded.
        if obj is not None and obj.minutes_locked:
            return [
                "body",
                "date",
                "start_time",
                "end_time",
                "venue",
                "chair",
                "status",
                "minutes_approved_at",
                *self.readonly_fields,
            ]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.minutes_locked:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "minutes_approved_at":
            kwargs["queryset"] = meetings_with_body(request.user)
        elif db_field.name == "body":
            kwargs["queryset"] = bodies_kept_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is MinutesCorrection:
            # Corrections are numbered by when they were recorded, not by a position.
            return super().save_formset(request, form, formset, change)
        number_new_rows(formset)
        if formset.model is Attachment:
            save_uploads(formset, request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            attendance_prefill(meeting=form.instance)

    def response_add(self, request, obj, post_url_continue=None):
        # Continue on the change page, where the prefilled attendance can be filled in.
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("datum"), ordering="date")
    def date_display(self, obj):
        return dmy(obj.date)

    @admin.display(description=_("tijd"))
    def times(self, obj):
        if not obj.start_time:
            return "–"
        end = f"–{obj.end_time:%H.%M}" if obj.end_time else ""
        return f"{obj.start_time:%H.%M}{end}"

    @admin.display(description=_("open acties"), ordering="open_action_count")
    def open_actions(self, obj):
        return getattr(obj, "open_action_count", None)

    @admin.display(description=_("pagina's"))
    def pages(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("meetings:detail", args=[obj.pk]),
            _("verslag"),
            reverse("meetings:entries", args=[obj.pk]),
            _("besluiten- en actielijst"),
        )

    @admin.display(description=_("verzonden"))
    def pack_sent(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return pack_sent_display(pack_last_send(obj)) or _("Nog niet verstuurd")

    @admin.action(description=_("Vergaderstukken versturen"), permissions=["send_pack"])
    def send_pack(self, request, queryset):
        for meeting in queryset.select_related("body").order_by("date"):
            try:
                record = meeting_pack_send(meeting=meeting, user=request.user)
            except PackError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            self.message_user(
                request,
                _("Vergaderstukken van %(meeting)s verstuurd aan %(count)d deelnemers.")
                % {"meeting": meeting, "count": record.recipient_count},
                messages.SUCCESS,
            )

    @admin.action(description=_("Open acties overnemen naar het volgende overleg"))
    def carry_over_open_actions(self, request, queryset):
        for meeting in queryset.select_related("body").order_by("date"):
            try:
                copies = actions_carry_over(from_meeting=meeting)
            except (MeetingError, ValidationError) as exc:
                self.message_user(request, f"{meeting}: {exc_message(exc)}", messages.ERROR)
                continue
            if copies:
                target = copies[0].item.meeting
                self.message_user(
                    request,
                    _("%(meeting)s: %(count)d open actie(s) overgenomen naar %(target)s.")
                    % {"meeting": meeting, "count": len(copies), "target": target},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(meeting)s: geen open acties om over te nemen.") % {"meeting": meeting},
                    messages.INFO,
                )

    @admin.action(description=_("Verslag vastgesteld in het volgende overleg"))
    def approve_minutes_at_next_meeting(self, request, queryset):
        for meeting in queryset.select_related("body").order_by("date"):
            approving = meeting_next(meeting=meeting)
            if approving is None:
                self.message_user(
                    request,
                    _(
                        "%(meeting)s: er is nog geen volgend overleg om het verslag in vast te "
                        "stellen."
                    )
                    % {"meeting": meeting},
                    messages.ERROR,
                )
                continue
            try:
                minutes_approve(meeting=meeting, approved_at=approving)
            except (MeetingError, ValidationError) as exc:
                self.message_user(request, f"{meeting}: {exc_message(exc)}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("Verslag van %(meeting)s vastgesteld in %(approving)s.")
                % {"meeting": meeting, "approving": approving},
                messages.SUCCESS,
            )


class AttachmentForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, max_length=200, assume_scheme="https")
    upload = forms.FileField(
        label=_("Nieuw bestand"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, ODT, PNG of JPEG. Een vorige versie blijft bewaard."),
    )

    class Meta:
        model = Attachment
        fields = ["position", "number", "label", "url"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            document_check(upload)
        return upload


def save_uploads(formset, user) -> None:
    """After the attachment rows are saved: each uploaded file becomes the next version."""
    for form in formset.forms:
        upload = getattr(form, "cleaned_data", {}).get("upload")
        if upload and form.instance.pk and not form.cleaned_data.get("DELETE"):
            attachment_version_add(attachment=form.instance, upload=upload, user=user)


class AttachmentInline(SecretaryOnly, LockedWhenAdopted, LabelledRows, admin.TabularInline):
    """The attachments of an agenda item ("Bijlage II"), with their uploaded versions."""

    model = Attachment
    form = AttachmentForm
    fk_name = "item"
    fields = ["position", "number", "label", "url", "upload", "versions_display"]
    readonly_fields = ["versions_display"]
    extra = 0
    ordering = ["position", "pk"]

    def meeting_of(self, obj):
        return obj.meeting

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("versies"))
    def versions_display(self, obj):
        versions = list(obj.versions.all()) if obj.pk else []
        if not versions:
            return "–"
        return format_html_join(
            ", ",
            '<a href="{}">{} {}</a> ({})',
            (
                (
                    reverse("meetings:attachment_version", args=[obj.pk, version.number]),
                    _("versie"),
                    version.number,
                    version.original_name,
                )
                for version in versions
            ),
        )


class MeetingAttachmentInline(AttachmentInline):
    """The attachments of the meeting as a whole, such as the previous minutes."""

    fk_name = "meeting"
    verbose_name = _("bijlage bij het overleg")
    verbose_name_plural = _("bijlagen bij het overleg")

    def meeting_of(self, obj):
        return obj


class EntryInline(SecretaryOnly, LockedWhenAdopted, SharedChoices, admin.StackedInline):
    model = Entry
    fk_name = "item"
    extra = 1
    ordering = ["position", "pk"]
    fieldsets = [
        (None, {"fields": [("position", "kind"), "text", "explanation", "portfolio"]}),
        (
            _("Alleen bij een besluit"),
            {"fields": ["assignment"], "classes": ["collapse", "meetings-decision-fields"]},
        ),
        (
            _("Alleen bij een actie"),
            {
                "fields": [
                    "owner",
                    ("owner_user", "owner_municipality"),
                    ("due_date", "status"),
                    ("closed_at_meeting", "done_on"),
                    "carried_from_display",
                ],
                "classes": ["collapse", "meetings-action-fields"],
            },
        ),
    ]
    readonly_fields = ["carried_from_display"]

    def meeting_of(self, obj):
        return obj.meeting

    class Media:
        js = ["meetings/entry_form.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carried_from__item__meeting__body")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **entry_choices(db_field, request, kwargs)
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("text", "explanation") and field is not None:
            field.widget.attrs["rows"] = 3
        return field

    @admin.display(description=_("overgenomen uit"))
    def carried_from_display(self, obj):
        original = obj.carried_from if obj.pk else None
        if original is None:
            return "–"
        return f"{original.item.meeting} · {original.item.number}"


@admin.register(AgendaItem)
class AgendaItemAdmin(NeuterName, SecretaryOnly, LockedWhenAdopted, RegionScoped, admin.ModelAdmin):
    list_display = ["meeting", "number", "title", "heading"]
    list_filter = [("meeting__body", admin.RelatedOnlyFieldListFilter)]
    body_path = "meeting__body"
    search_fields = ["number", "title", "heading", "annotation", "notes"]
    list_select_related = ["meeting__body"]
    ordering = ["-meeting__date", "position"]
    fields = [
        "meeting",
        ("position", "number"),
        "heading",
        "title",
        "annotation",
        "notes",
        "municipalities",
        "locations",
        "portfolio",
        "back_to_meeting",
    ]
    readonly_fields = ["back_to_meeting"]
    filter_horizontal = ["municipalities", "locations"]
    inlines = [EntryInline, AttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting__body")

    def meeting_of(self, obj):
        return obj.meeting

    def get_readonly_fields(self, request, obj=None):
        # An item stays in its meeting; a new one names it (prefilled from ?meeting=).
        return ["meeting", *self.readonly_fields] if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = meetings_with_body(request.user)
        elif db_field.name == "portfolio":
            kwargs["queryset"] = portfolios_kept_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "locations":
            kwargs["queryset"] = locations_of_region(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The form offers only the locations the user may name, so saving it would drop the
        # links to a location yet to open that a coordinator made: keep those.
        kept = []
        if change:
            kept = list(form.instance.locations.exclude(pk__in=locations_of_region(request.user)))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.locations.add(*kept)

    def save_model(self, request, obj, form, change):
        if not change and not obj.position:
            last = obj.meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
            obj.position = last + 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        number_new_rows(formset)
        if formset.model is Attachment:
            save_uploads(formset, request.user)

    @admin.display(description=_("overleg"))
    def back_to_meeting(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        url = reverse("admin:meetings_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{} {}</a>', url, _("Terug naar"), obj.meeting)

    def _back_to_meeting(self, request, obj, response):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return response
        if IS_POPUP_VAR in request.POST:
            return response
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[obj.meeting_id]))

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_meeting(
            request, obj, super().response_add(request, obj, post_url_continue)
        )

    def response_change(self, request, obj):
        return self._back_to_meeting(request, obj, super().response_change(request, obj))


class OverdueFilter(admin.SimpleListFilter):
    title = _("over de deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Ja")), ("no", _("Nee"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.actions().not_overdue()
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    title = _("eigenaar")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        owners = (
            model_admin.get_queryset(request)
            .actions()
            .exclude(owner="")
            .order_by("owner")
            .values_list("owner", flat=True)
            .distinct()
        )
        return [(owner, owner) for owner in owners]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(owner=self.value())
        return queryset


@admin.register(Entry)
class EntryAdmin(SecretaryOnly, LockedWhenAdopted, RegionScoped, admin.ModelAdmin):
    body_path = "item__meeting__body"
    list_display = [
        "meeting",
        "item_number",
        "kind",
        "short_text",
        "owner_display",
        "due_date_display",
        "status",
        "overdue",
        "closed_at_meeting",
    ]
    list_filter = [
        "kind",
        "status",
        OwnerFilter,
        OverdueFilter,
        ("item__meeting__body", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "explanation", "owner", "owner_municipality__name"]
    list_select_related = [
        "item__meeting__body",
        "owner_user",
        "owner_municipality",
        "closed_at_meeting__body",
    ]
    date_hierarchy = "item__meeting__date"
    ordering = ["-item__meeting__date", "item__position", "position"]
    actions = ["mark_done"]
    fields = [
        "item_link",
        "position",
        "kind",
        "text",
        "explanation",
        "assignment",
        "owner",
        "owner_user",
        "owner_municipality",
        "due_date",
        "status",
        "closed_at_meeting",
        "done_on",
        "carried_from",
        "portfolio",
    ]
    readonly_fields = ["item_link", "carried_from"]

    def has_add_permission(self, request):
        # Entries are written on their agenda item's page, in the order of the minutes.
        return False

    def meeting_of(self, obj):
        return obj.item.meeting

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **entry_choices(db_field, request, kwargs)
        )

    @admin.display(description=_("overleg"), ordering="item__meeting__date")
    def meeting(self, obj):
        return obj.item.meeting

    @admin.display(description=_("punt"))
    def item_number(self, obj):
        return obj.item.number

    @admin.display(description=_("agendapunt"))
    def item_link(self, obj):
        url = reverse("admin:meetings_agendaitem_change", args=[obj.item_id])
        return format_html('<a href="{}">{} · {}</a>', url, obj.item.meeting, obj.item)

    @admin.display(description=_("tekst"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 120 else obj.text[:117] + "…"

    @admin.display(description=_("eigenaar"))
    def owner_display(self, obj):
        return obj.owner_display or "–"

    @admin.display(description=_("deadline"), ordering="due_date")
    def due_date_display(self, obj):
        return dmy(obj.due_date)

    @admin.display(description=_("te laat"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue if obj.kind == EntryKind.ACTION else None

    @admin.action(description=_("Markeer als gedaan"))
    def mark_done(self, request, queryset):
        try:
            count = action_mark_done(entries=queryset, user=request.user)
        except (MeetingError, PermissionDenied) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            _("%(count)d actie(s) gemarkeerd als gedaan.") % {"count": count},
            messages.SUCCESS,
        )


class SpearheadFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self.can_delete or not self._should_delete_form(form)
        ]
        if len(kept) > MAX_SPEARHEADS:
            raise ValidationError(
                _("Een portefeuille heeft ten hoogste %(max)d speerpunten.")
                % {"max": MAX_SPEARHEADS}
            )


class SpearheadInline(SecretaryOnly, admin.TabularInline):
    model = Spearhead
    formset = SpearheadFormSet
    extra = 2
    max_num = MAX_SPEARHEADS
    fields = ["position", "goal", "target_date", "status"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "goal" and field is not None:
            field.widget.attrs["rows"] = 2
        return field


class PortfolioForm(forms.ModelForm):
    class Meta:
        model = Portfolio
        fields = ["body", "theme", "title", "holders"]

    def clean(self):
        data = super().clean()
        holders = data.get("holders")
        if holders is not None:
            try:
                check_holders(data.get("body"), holders)
            except ValidationError as exc:
                self.add_error("holders", exc)
        return data


@admin.register(Portfolio)
class PortfolioAdmin(SecretaryOnly, RegionScoped, admin.ModelAdmin):
    """The portfolios of the secretary's tables, each with its one or two spearheads."""

    form = PortfolioForm
    list_display = ["display_title", "body", "theme", "holder_names", "spearhead_count"]
    list_filter = ["theme", ("body", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["body"]
    search_fields = ["title", "holders__name", "spearheads__goal"]
    filter_horizontal = ["holders"]
    inlines = [SpearheadInline]
    ordering = ["body__code", "theme", "title", "pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("holders")
            .annotate(spearhead_total=Count("spearheads", distinct=True))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = bodies_kept_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "holders":
            bodies = bodies_kept_by(request.user)
            queryset = db_field.related_model.objects.none()
            for body in bodies:
                queryset = queryset | holders_allowed(body)
            kwargs["queryset"] = queryset.distinct().order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("portefeuille"), ordering="title")
    def display_title(self, obj):
        return obj.display_title

    @admin.display(description=_("portefeuillehouders"))
    def holder_names(self, obj):
        return ", ".join(holder.name for holder in obj.holders.all()) or "–"

    @admin.display(description=_("speerpunten"), ordering="spearhead_total")
    def spearhead_count(self, obj):
        return obj.spearhead_total
