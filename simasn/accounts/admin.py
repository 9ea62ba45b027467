"""Django admin for accounts: the custom User (login by NIP) and read-only device tokens.

Changes made here bypass the services, so they are audited here (without the password hash)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError

from .models import DeviceToken, User
from .services import end_all_sessions, validate_role_scope

_AUDITED_FIELDS = ["username", "full_name", "email", "role", "scope_unit", "is_active", "is_staff", "is_superuser"]


class RoleScopeFormMixin:
    """The same role/scope rule as the services, as a form error instead of a database constraint error."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if "role" in self.fields:
            try:
                validate_role_scope(cleaned.get("role"), cleaned.get("scope_unit"))
            except DomainError as exc:
                self.add_error(exc.field, exc.message)
        return cleaned


class SimasnUserCreationForm(RoleScopeFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class SimasnUserChangeForm(RoleScopeFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = SimasnUserChangeForm
    add_form = SimasnUserCreationForm
    list_display = ("username", "full_name", "role", "scope_unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    list_select_related = ("scope_unit",)
    autocomplete_fields = ()
    raw_id_fields = ("scope_unit",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profil"), {"fields": ("full_name", "email")}),
        (_("Peran dan cakupan"), {"fields": ("role", "scope_unit")}),
        (_("Status dan izin"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Profil dan peran"), {"classes": ("wide",), "fields": ("full_name", "role", "scope_unit")}),
    )

    def save_model(self, request, obj: User, form, change: bool) -> None:
        before = model_snapshot(User.objects.get(pk=obj.pk), _AUDITED_FIELDS) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            fields = set(form.changed_data)
            if change and "is_active" in fields and not obj.is_active:
                end_all_sessions(obj)
            audit_record(
                actor=request.user,
                action="accounts.user_changed_admin" if change else "accounts.user_created_admin",
                obj=obj,
                summary=f"Akun {obj.username} {'diubah' if change else 'dibuat'} lewat admin Django",
                before=before,
                after={**model_snapshot(obj, _AUDITED_FIELDS), "password_changed": bool(fields & {"password",
                                                                                                   "password1"})},
            )


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "device_id", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__full_name", "device_id")
    list_select_related = ("user",)
    readonly_fields = ("user", "device_id", "token_hash", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return super().has_change_permission(request)

    @admin.action(description=_("Cabut token terpilih"), permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        with transaction.atomic():
            tokens = list(queryset.filter(revoked_at__isnull=True).select_for_update())
            now = timezone.now()
            for token in tokens:
                token.revoked_at = now
                token.save(update_fields=["revoked_at"])
                audit_record(actor=request.user, action="accounts.device_token_revoked", obj=token,
                             summary=f"Token perangkat dicabut lewat admin Django: {token.device_id[:80]}",
                             before={"revoked_at": None}, after={"revoked_at": now})
        messages.success(request, _("%(count)d token dicabut.") % {"count": len(tokens)})
