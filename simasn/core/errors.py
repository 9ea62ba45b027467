"""Domain errors carry an Indonesian message for people and a stable code for API clients."""

from __future__ import annotations


class DomainError(Exception):
    """A refused request: bad input or a rule that forbids it. Nothing was written."""

    status_code = 400

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None,
                 errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.errors = errors or []

    def as_dict(self) -> dict:
        data: dict = {"detail": self.message, "code": self.code}
        if self.field:
            data["field"] = self.field
        if self.errors:
            data["errors"] = self.errors
        return data


class NotFound(DomainError):
    """Missing or not visible to the viewer: the two are indistinguishable on purpose."""

    status_code = 404

    def __init__(self, message: str = "Data tidak ditemukan.") -> None:
        super().__init__(message, code="not_found")


class Conflict(DomainError):
    status_code = 409

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)


class Forbidden(DomainError):
    """The actor may not do this at all (rendered as the 403 page, or 403 JSON)."""

    status_code = 403

    def __init__(self, message: str = "Anda tidak berwenang melakukan tindakan ini.") -> None:
        super().__init__(message, code="forbidden")
