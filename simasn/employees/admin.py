"""Django admin for superusers doing repairs. Day-to-day edits go through the pages and services, which
validate, keep histories and write the audit trail; the admin is read-mostly on purpose."""

from django.contrib import admin

from .models import EducationHistory, Employee, ImportBatch, PositionHistory, RankHistory


class _HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


class RankHistoryInline(_HistoryInline):
    model = RankHistory
    fields = ("golongan", "tmt", "sk_number", "sk_date")


class PositionHistoryInline(_HistoryInline):
    model = PositionHistory
    fields = ("position_name", "unit_name", "tmt", "sk_number", "sk_date")
    raw_id_fields = ("position",)


class EducationHistoryInline(_HistoryInline):
    model = EducationHistory
    fields = ("level", "institution", "major", "graduation_year")


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("nip", "name", "kind", "golongan", "status", "unit", "retirement_date")
    list_filter = ("kind", "status", "golongan")
    search_fields = ("nip", "name")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "position", "user")
    readonly_fields = ("retirement_date", "created_at", "updated_at")
    exclude = ("nik",)  # personal data: the full NIK is shown only through the audited reveal
    inlines = (RankHistoryInline, PositionHistoryInline, EducationHistoryInline)
    show_full_result_count = False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "status", "total_rows", "valid_rows", "created_at", "uploaded_by")
    list_filter = ("status",)
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
