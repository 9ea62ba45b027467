"""Regulation calculators: one registry behind `manage.py calc`, the API and the "Kalkulator Regulasi" page.

A calculator takes a JSON object and returns a JSON object. Malformed input raises `CalcInputError`;
input that is well-formed but fails the rule (an invalid NIP, say) is a normal answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class CalcInputError(ValueError):
    """The input is not what the calculator takes (missing key, wrong type)."""


@dataclass(frozen=True)
class Calculator:
    name: str
    title: str
    legal_source: str
    description: str
    example: dict[str, Any]
    compute: Callable[[dict[str, Any]], dict[str, Any]]
    rule_table: Callable[[], tuple[list[str], list[list[str]]]] | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


REGISTRY: dict[str, Calculator] = {}


def register(calculator: Calculator) -> Calculator:
    REGISTRY[calculator.name] = calculator
    return calculator


def run(name: str, data: Any) -> dict[str, Any]:
    calculator = REGISTRY.get(name)
    if calculator is None:
        raise CalcInputError(f"Kalkulator '{name}' tidak dikenal. Tersedia: {', '.join(sorted(REGISTRY))}.")
    if not isinstance(data, dict):
        raise CalcInputError("Masukan harus berupa objek JSON.")
    return calculator.compute(data)


def require(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    """Fetch a required key of the given JSON type (bool is never accepted as a number)."""
    if key not in data:
        raise CalcInputError(f"Kolom '{key}' wajib diisi.")
    value = data[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise CalcInputError(f"Kolom '{key}' bertipe salah.")
    if not isinstance(value, kind):
        raise CalcInputError(f"Kolom '{key}' bertipe salah.")
    return value
