"""Shared pieces of the org services: collecting field errors, and plain-value checks."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from simasn.core.errors import DomainError, NotFound


class FieldErrors:
    """Collects every problem of one request so a form can show them all at once, then raises one
    DomainError (first message as `detail`, all of them in `errors`)."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def __contains__(self, field: str) -> bool:
        return any(item["field"] == field for item in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise DomainError(first["message"], code="invalid", field=first["field"], errors=self.items)


def clean_text(errors: FieldErrors, field: str, value: Any, *, label: str, max_length: int,
               required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ("" if value is None else None)
    if text is None:
        errors.add(field, f"{label} harus berupa teks.")
        return ""
    if required and not text:
        errors.add(field, f"{label} wajib diisi.")
    elif len(text) > max_length:
        errors.add(field, f"{label} paling banyak {max_length} karakter.")
    return text


def as_finite_number(value: Any) -> float | None:
    """The value as a finite float, or None when it is not a real number (bools, text, NaN, ±inf)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """The value as an int when it is a whole number (5 or 5.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(float(value)) and float(value).is_integer():
        return int(value)
    return None


def check_choice(errors: FieldErrors, field: str, value: Any, choices: type, *, label: str) -> str:
    if value not in choices.values:
        errors.add(field, f"{label} tidak dikenal: pilih salah satu dari daftar.")
        return ""
    return value


def fresh(queryset: Any, pk: Any) -> Any:
    """Re-read an object inside the transaction (callers may hold a stale copy); NotFound when it is gone."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj
