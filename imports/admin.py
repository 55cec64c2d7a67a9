"""The run record in the admin (read-only), and the admin's door to the imports: a link to the
upload page, so the admin imports under the same rules, preview and confirm step as everyone
else. The admin keeps django-import-export's export."""

from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from .kinds import kinds_for
from .models import ImportRun


class ImportLinkAdminMixin(ExportMixin):
    """A change list with "Exporteren" and, for who may import `import_kind`, "Importeren",
    which opens the upload page with that kind chosen."""

    import_kind: str
    export_formats = [base_formats.CSV, base_formats.XLSX]
    import_export_change_list_template = "admin/imports/change_list.html"

    def changelist_view(self, request, extra_context=None):
        may_import = self.import_kind in dict(kinds_for(request.user))
        extra_context = {
            **(extra_context or {}),
            "import_url": (
                f"{reverse('imports:list')}?kind={self.import_kind}" if may_import else ""
            ),
        }
        return super().changelist_view(request, extra_context)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by the import service only."""

    list_display = ["started_at", "kind", "file_name", "user", "status", "error_count"]
    list_filter = ["kind", "status", "safety_region"]
    search_fields = ["file_name", "sha256", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
