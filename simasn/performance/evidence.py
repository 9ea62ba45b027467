"""Checks of bukti dukung: a file is judged by its first bytes (PDF, JPEG or PNG) and its size, never by its
name or the browser's content type; a link must be an absolute http(s) URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator

from simasn.core.errors import DomainError
from simasn.employees.files import JPEG_MAGIC, PDF_MAGIC, PNG_MAGIC, CheckedFile

from . import rules_data as R

URL_MAX_LENGTH = 500


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",").replace(",0 MB", " MB")


def check_evidence_file(upload: UploadedFile, *, field: str = "file") -> CheckedFile:
    size = upload.size or 0
    if size == 0:
        raise DomainError("Berkas bukti dukung kosong (0 byte).", code="empty_file", field=field)
    if size > R.EVIDENCE_MAX_BYTES:
        raise DomainError(
            f"Berkas bukti dukung terlalu besar ({_megabytes(size)}); batas {_megabytes(R.EVIDENCE_MAX_BYTES)}.",
            code="file_too_large", field=field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return CheckedFile(".pdf", "application/pdf")
    if head.startswith(JPEG_MAGIC):
        return CheckedFile(".jpg", "image/jpeg")
    if head.startswith(PNG_MAGIC):
        return CheckedFile(".png", "image/png")
    raise DomainError(
        "Bukti dukung harus berupa PDF, JPEG, atau PNG. Isi berkas yang diunggah bukan salah satunya "
        "(mengganti ekstensi nama berkas tidak mengubah isinya).",
        code="file_type_not_allowed", field=field,
    )


def check_evidence_url(url: object, *, field: str = "url") -> str:
    text = url.strip() if isinstance(url, str) else ""
    if not text:
        raise DomainError("Tautan bukti dukung wajib diisi.", code="required", field=field)
    if len(text) > URL_MAX_LENGTH:
        raise DomainError(f"Tautan bukti dukung paling panjang {URL_MAX_LENGTH} karakter.", field=field)
    if urlsplit(text).scheme.lower() not in R.EVIDENCE_URL_SCHEMES:
        raise DomainError("Tautan bukti dukung harus diawali http:// atau https://.", code="invalid_url", field=field)
    try:
        URLValidator(schemes=sorted(R.EVIDENCE_URL_SCHEMES))(text)
    except ValidationError:
        raise DomainError("Tautan bukti dukung bukan alamat web yang valid.", code="invalid_url", field=field) from None
    return text
