"""Django admin shows the org structure read-only: writes go through `services` (paths, history, audit)."""

from django.contrib import admin

from .models import OfficeLocation, Position, Unit, UnitHistory


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "depth", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "jabatan_type", "kelas_jabatan", "is_active")
    list_filter = ("jabatan_type", "is_active")
    search_fields = ("name",)
    list_select_related = ("unit",)


@admin.register(OfficeLocation)
class OfficeLocationAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "latitude", "longitude", "radius_m", "timezone", "is_active")
    list_select_related = ("unit",)


@admin.register(UnitHistory)
class UnitHistoryAdmin(ReadOnlyAdmin):
    list_display = ("unit", "change", "old_name", "new_name", "effective_date", "changed_at")
    list_filter = ("change",)
    list_select_related = ("unit",)
