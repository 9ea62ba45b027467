"""Shared pieces of the org services: collecting field errors, and plain-value checks."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db import models

from simasn.core.audit import audit_record, model_snapshot
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


def apply_validated_update(
    obj: models.Model, fields: dict[str, Any], *, updatable: frozenset[str], validate: Any, actor: Any,
    action: str, summary: str,
) -> models.Model:
    """Validate the merged current + new values, save, and audit the change when anything changed.

    `is_active` is a switch outside the validated fields; `validate(errors, data, instance=obj)` returns the
    cleaned values; `summary` may name the object as {name} (its name after the change)."""
    before = model_snapshot(obj)
    current = {name: getattr(obj, name) for name in updatable if name != "is_active"}
    errors = FieldErrors()
    values = validate(errors, {**current, **{k: v for k, v in fields.items() if k != "is_active"}}, instance=obj)
    errors.raise_if_any()
    for name, value in values.items():
        setattr(obj, name, value)
    if "is_active" in fields:
        obj.is_active = bool(fields["is_active"])
    obj.save()
    after = model_snapshot(obj)
    if after != before:
        audit_record(actor=actor, action=action, obj=obj, summary=summary.format(name=getattr(obj, "name", obj)),
                     before=before, after=after)
    return obj
