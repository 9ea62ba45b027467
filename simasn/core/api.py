"""Regulation calculators over the API: the same registry as `manage.py calc` and the UI."""

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from . import calc
from .errors import DomainError, NotFound

router = Router(tags=["kalkulator"])


class CalculatorOut(Schema):
    name: str
    title: str
    legal_source: str
    description: str
    example: dict[str, Any]


class CalculatorInputInvalid(DomainError):
    status_code = 422


class ErrorOut(Schema):
    detail: str
    code: str


@router.get("/calculators", response=list[CalculatorOut], summary="Daftar kalkulator regulasi")
def calculator_list(request: HttpRequest) -> list[calc.Calculator]:
    return sorted(calc.REGISTRY.values(), key=lambda c: c.name)


@router.post(
    "/calculators/{name}",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Jalankan kalkulator regulasi",
    description="Badan permintaan adalah objek JSON masukan kalkulator; jawabannya objek JSON hasilnya.",
)
def calculator_run(request: HttpRequest, name: str, payload: Body[dict[str, Any]]):
    calculator = calc.REGISTRY.get(name)
    if calculator is None:
        raise NotFound(f"Kalkulator '{name}' tidak dikenal.")
    try:
        return calculator.compute(payload)
    except calc.CalcInputError as exc:
        raise CalculatorInputInvalid(str(exc), code="invalid_input") from exc
