"""Builders for master-data tests: real and fake PDF/JPEG/PNG uploads, and valid employee data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def upload(content: bytes, name: str = "sk.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(size: int | None = None, name: str = "sk.pdf") -> SimpleUploadedFile:
    body = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return upload(body, name)


# 198609262015051001 → born 1986-09-26, CPNS May 2015, male, sequence 001 (DOMAIN §1).
EXAMPLE_NIP = "198609262015051001"
EXAMPLE_NIK = "7471012609860001"


def employee_data(unit: Any, position: Any = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nip": EXAMPLE_NIP, "kind": "PNS", "name": "La Ode Baharuddin", "front_title": "", "back_title": "S.E.",
        "nik": EXAMPLE_NIK, "birth_place": "Kendari", "status": "aktif", "golongan": "III/b",
        "tmt_golongan": dt.date(2019, 4, 1), "unit": unit, "position": position,
        "tmt_jabatan": dt.date(2020, 1, 2) if position else None, "education_level": "S1",
        "email": "baharuddin@example.go.id",
    }
    data.update(overrides)
    return data
