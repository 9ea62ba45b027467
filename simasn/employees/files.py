"""Upload checks for SK scans and photos: the content decides, never the file name or the browser's word.

A renamed .exe with a .pdf extension and `Content-Type: application/pdf` is still refused, because we read
the first bytes (the "magic number") of what was actually uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from simasn.core.errors import DomainError

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CheckedFile:
    extension: str  # ".pdf", ".jpg", ".png": the name we store under is ours, not the uploader's
    content_type: str


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def _head(upload: UploadedFile, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _check_size(upload: UploadedFile, limit: int, what: str, field: str) -> None:
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("%(what)s kosong (0 byte).") % {"what": what}, code="empty_file", field=field)
    if size > limit:
        raise DomainError(
            _("%(what)s terlalu besar (%(size)s); batas %(limit)s.")
            % {"what": what, "size": _human_size(size), "limit": _human_size(limit)},
            code="file_too_large", field=field,
        )


def check_pdf(upload: UploadedFile, *, field: str = "sk_file") -> CheckedFile:
    """An SK scan: a real PDF within SIMASN_MAX_DOCUMENT_BYTES."""
    _check_size(upload, settings.SIMASN_MAX_DOCUMENT_BYTES, _("Berkas SK"), field)
    if not _head(upload).startswith(PDF_MAGIC):
        raise DomainError(
            _("Berkas SK harus berupa PDF. Isi berkas yang diunggah bukan PDF "
              "(mengganti ekstensi nama berkas tidak mengubah isinya)."),
            code="not_pdf", field=field,
        )
    return CheckedFile(".pdf", "application/pdf")


def check_photo(upload: UploadedFile, *, field: str = "photo") -> CheckedFile:
    """A profile photo: JPEG or PNG within SIMASN_MAX_PHOTO_BYTES."""
    _check_size(upload, settings.SIMASN_MAX_PHOTO_BYTES, _("Foto"), field)
    head = _head(upload)
    if head.startswith(JPEG_MAGIC):
        return CheckedFile(".jpg", "image/jpeg")
    if head.startswith(PNG_MAGIC):
        return CheckedFile(".png", "image/png")
    raise DomainError(_("Foto harus berupa gambar JPEG atau PNG."), code="not_image", field=field)


DOCUMENT_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def check_document(upload: UploadedFile, *, what: str, field: str = "attachment") -> CheckedFile:
    """A supporting document (doctor's note, correction evidence …): PDF, JPEG or PNG by content, within
    SIMASN_MAX_DOCUMENT_BYTES. `what` names it in the message, e.g. "Dokumen pendukung"."""
    _check_size(upload, settings.SIMASN_MAX_DOCUMENT_BYTES, what, field)
    content_type = sniff_content_type(_head(upload))
    if content_type not in DOCUMENT_EXTENSIONS:
        raise DomainError(
            _("%(what)s harus berupa PDF, JPEG atau PNG (isi berkas yang diunggah bukan salah satunya; mengganti "
              "ekstensi nama berkas tidak mengubah isinya).") % {"what": what},
            code="bad_file_type", field=field,
        )
    return CheckedFile(DOCUMENT_EXTENSIONS[content_type], content_type)


def sniff_content_type(head: bytes) -> str:
    """Content type of a stored file from its first bytes (for serving; never trusted from the name)."""
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return "application/octet-stream"
