"""Login refusals with their HTTP status, for the API (the UI shows the same messages through forms)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from simasn.core.errors import DomainError, Forbidden

__all__ = ["AccountLocked", "Forbidden", "INVALID_CREDENTIALS_MESSAGE", "InvalidCredentials"]

INVALID_CREDENTIALS_MESSAGE = gettext_lazy("NIP atau kata sandi salah.")


class InvalidCredentials(DomainError):
    """Wrong NIP, wrong password or a deactivated account: one answer, so none of them can be probed."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__(str(INVALID_CREDENTIALS_MESSAGE), code="invalid_credentials")


class AccountLocked(DomainError):
    """Too many failures for this (NIP, address) pair; django-axes keeps the count."""

    status_code = 429

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message, code="locked_out")
        self.retry_after_seconds = retry_after_seconds

    def as_dict(self) -> dict:
        return {**super().as_dict(), "retry_after_seconds": self.retry_after_seconds}
