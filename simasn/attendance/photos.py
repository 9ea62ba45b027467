"""Selfies of check-ins: strict decoding, a 64-bit perceptual hash, face detection and private storage.

A selfie arrives as base64 text inside the JSON body. The bytes decide what it is, never a name or a
declared type: it must be a JPEG (magic number), its header must declare a sane pixel count *before* any
decoding (a "pixel flood" image is small on the wire and huge in memory), and it must decode completely
(a truncated or 0-byte file is refused). Only then are the hash and the face count computed.

The perceptual hash is a dHash: the picture shrunk to 9×8 grey pixels, one bit per horizontal neighbour
pair. A re-encoded, resized or slightly recropped copy of the same photo keeps nearly the same bits, so
PHOTO_REUSE compares Hamming distances. To find near copies with an index instead of scanning every
selfie, the hash is also stored as four 16-bit bands (multi-index hashing): two hashes within distance d
have at least one band within distance ⌊d/4⌋, so looking up each band and its one-bit neighbours
(17 values × 4 bands) finds every candidate within distance 7, using the four band indexes.
"""

from __future__ import annotations

import base64
import binascii
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.base import ContentFile
from PIL import Image, ImageFile, UnidentifiedImageError

from simasn.core.errors import DomainError

from .rules_data import CHECKS

JPEG_MAGIC = b"\xff\xd8\xff"
DATA_URL_PREFIX = "data:image/jpeg;base64,"
HASH_BANDS = 4
BAND_BITS = 64 // HASH_BANDS
# Faces are searched on a copy no larger than this (pixels on the long side): a phone selfie of
# 3000 px takes ~0.5 s at full size and ~15 ms here, and a face filling a selfie is still found.
FACE_SEARCH_SIZE = 320


class PhotoInvalid(DomainError):
    status_code = 422

    def __init__(self, message: str, *, code: str = "invalid_photo") -> None:
        super().__init__(message, code=code, field="photo")


@dataclass(frozen=True)
class Selfie:
    data: bytes
    width: int
    height: int
    phash: str  # 16 hex digits
    faces: int

    @property
    def bands(self) -> tuple[int, ...]:
        return hash_bands(self.phash)

    def as_file(self, name: str) -> ContentFile:
        return ContentFile(self.data, name=name)


def decode_base64(text: str) -> bytes:
    """Strict base64 (a `data:image/jpeg;base64,` prefix, as a browser canvas produces, is allowed)."""
    if text.startswith(DATA_URL_PREFIX):
        text = text[len(DATA_URL_PREFIX):]
    # Refuse before decoding when the text alone is already too big.
    if len(text) > (CHECKS.max_photo_bytes * 4) // 3 + 4:
        raise PhotoInvalid(_too_big_message(), code="photo_too_large")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PhotoInvalid("Foto harus berupa teks base64 yang sah.", code="photo_not_base64") from exc


def _too_big_message() -> str:
    return f"Foto terlalu besar; batas {CHECKS.max_photo_bytes // (1024 * 1024)} MB."


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """A truncated JPEG must fail to load, not be padded with grey. The switch is process-wide and WeasyPrint
    turns it on when it is imported (the PDF pages import it), so it is set for each load, not once."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def load_selfie(data: bytes, *, detect_faces: bool = True) -> Selfie:
    """Validate a JPEG selfie and compute its hash and face count; PhotoInvalid (422) when it is not one."""
    if not data:
        raise PhotoInvalid("Foto kosong (0 byte).", code="photo_empty")
    if len(data) > CHECKS.max_photo_bytes:
        raise PhotoInvalid(_too_big_message(), code="photo_too_large")
    if not data.startswith(JPEG_MAGIC):
        raise PhotoInvalid("Foto harus berupa gambar JPEG (isi berkas bukan JPEG).", code="photo_not_jpeg")
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG"])
            width, height = image.size
            if width < 1 or height < 1 or width * height > CHECKS.max_photo_pixels:
                raise PhotoInvalid("Ukuran gambar foto (jumlah piksel) melebihi batas.", code="photo_too_many_pixels")
            image.load()
    except PhotoInvalid:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoInvalid("Ukuran gambar foto (jumlah piksel) melebihi batas.", code="photo_too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoInvalid("Foto rusak atau terpotong; ambil ulang swafoto.", code="photo_corrupt") from exc
    grey = image.convert("L")
    return Selfie(data=data, width=width, height=height, phash=dhash(grey),
                  faces=count_faces(grey) if detect_faces else 0)


def dhash(image: Image.Image) -> str:
    """64-bit difference hash as 16 hex digits."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # mode L: one byte per pixel, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def hash_bands(phash: str) -> tuple[int, ...]:
    value = int(phash, 16)
    mask = (1 << BAND_BITS) - 1
    return tuple((value >> (BAND_BITS * (HASH_BANDS - 1 - i))) & mask for i in range(HASH_BANDS))


def band_neighbours(band: int) -> list[int]:
    """The band value and every value one bit away from it."""
    return [band, *(band ^ (1 << k) for k in range(BAND_BITS))]


_local = threading.local()


@lru_cache(maxsize=1)
def _cascade_path() -> str:
    import cv2

    return cv2.data.haarcascades + "haarcascade_frontalface_default.xml"


def _classifier():
    # A CascadeClassifier is not safe to share between threads; one per thread, loaded once.
    found = getattr(_local, "classifier", None)
    if found is None:
        import cv2

        found = cv2.CascadeClassifier(_cascade_path())
        if found.empty():
            raise RuntimeError("OpenCV face cascade could not be loaded")
        _local.classifier = found
    return found


def count_faces(grey: Image.Image) -> int:
    """Frontal faces OpenCV's bundled Haar cascade finds (on a copy at most FACE_SEARCH_SIZE px wide)."""
    import numpy as np

    image = grey.copy()
    image.thumbnail((FACE_SEARCH_SIZE, FACE_SEARCH_SIZE))
    side = min(image.size)
    min_face = max(24, side // 8)
    found = _classifier().detectMultiScale(np.asarray(image), scaleFactor=1.1, minNeighbors=5,
                                           minSize=(min_face, min_face))
    return len(found)
