"""Pieces every employee write shares: refusals with per-field messages, id resolution, file cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import Storage
from django.db import models

from simasn.core.errors import DomainError, Forbidden

__all__ = ["Forbidden", "InvalidFields", "MISSING", "resolve", "stored_files_removed_on_error"]


class InvalidFields(DomainError):
    """One or more fields were refused; `field_errors` maps field name → messages."""

    def __init__(self, field_errors: dict[str, list[str]], *, what: str = "pegawai",
                 code: str = "invalid_employee") -> None:
        self.field_errors = field_errors
        first = next(iter(field_errors.values()))[0]
        super().__init__(
            first if len(field_errors) == 1 else f"Data {what} belum benar; periksa kolom yang ditandai.",
            code=code,
            errors=[{"field": f, "message": m} for f, msgs in field_errors.items() for m in msgs],
        )


MISSING: Any = object()  # marks a unit/position id that matched nothing


def resolve(model: type[models.Model], value: Any) -> models.Model | None:
    if value is None or value == "" or isinstance(value, model):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return model.objects.filter(pk=value).first() or MISSING
    return MISSING


@contextmanager
def stored_files_removed_on_error(storage: Storage) -> Iterator[list[str]]:
    """Names appended to the yielded list are files saved during the block; they are deleted again if the
    block fails, so a refused write leaves no orphan scan or photo behind."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            storage.delete(name)
        raise
