"""Selfie decoding, perceptual hash and face detection."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from simasn.attendance import photos
from simasn.attendance.photos import PhotoInvalid
from simasn.attendance.rules_data import CHECKS

from .capture_helpers import face_jpeg, jpeg


def test_a_real_selfie_has_a_face_and_a_hash():
    selfie = photos.load_selfie(face_jpeg())
    assert selfie.faces >= 1
    assert len(selfie.phash) == 16 and int(selfie.phash, 16) >= 0
    assert len(selfie.bands) == 4 and all(0 <= b < 2**16 for b in selfie.bands)


def test_a_picture_without_a_face_has_none():
    assert photos.load_selfie(jpeg()).faces == 0


def test_a_recompressed_smaller_copy_keeps_nearly_the_same_hash():
    original = photos.load_selfie(face_jpeg())
    image = Image.open(io.BytesIO(face_jpeg())).resize((150, 150))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=55)
    copy = photos.load_selfie(out.getvalue())
    assert photos.hamming(original.phash, copy.phash) <= CHECKS.photo_hash_max_distance
    assert photos.hamming(original.phash, photos.load_selfie(jpeg(seed=3)).phash) > CHECKS.photo_hash_max_distance


def test_band_lookup_finds_every_hash_within_the_distance():
    """Multi-index hashing: within distance 7 at least one band differs by at most one bit."""
    base = int("f0e1d2c3b4a59687", 16)
    for flips in ([0, 17, 33, 49, 63, 5, 21], [1, 2, 3, 4, 5, 6, 7], [60, 61, 62, 63, 44, 45, 46]):
        other = base
        for bit in flips:
            other ^= 1 << bit
        a, b = photos.hash_bands(f"{base:016x}"), photos.hash_bands(f"{other:016x}")
        assert any(b[i] in photos.band_neighbours(a[i]) for i in range(4))


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(jpeg(64, 64))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(("data", "code"), [
    (b"", "photo_empty"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 10, "photo_corrupt"),
    (jpeg()[:600], "photo_corrupt"),  # truncated
    (b"<html><body>not a photo</body></html>", "photo_not_jpeg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "photo_not_jpeg"),
    (_png_header_only(60000, 60000), "photo_not_jpeg"),  # pixel-flood PNG
    (_jpeg_claiming(30000, 30000), "photo_too_many_pixels"),  # pixel-flood JPEG: refused before decoding
    (b"\xff\xd8\xff" + b"\x00" * (CHECKS.max_photo_bytes + 1), "photo_too_large"),
])
def test_bad_photos_are_refused(data, code):
    with pytest.raises(PhotoInvalid) as caught:
        photos.load_selfie(data)
    assert caught.value.code == code and caught.value.status_code == 422


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_asked_pil_to_pad_them():
    import weasyprint  # noqa: F401  (importing it sets PIL's process-wide LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it, whichever module was imported first
    try:
        with pytest.raises(PhotoInvalid) as caught:
            photos.load_selfie(jpeg()[:-50])  # the header whole, the scan cut short
        assert caught.value.code == "photo_corrupt"
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # PDFs keep rendering what they can
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


def test_base64_is_strict_and_a_data_url_prefix_is_allowed():
    raw = face_jpeg()
    assert photos.decode_base64(base64.b64encode(raw).decode()) == raw
    assert photos.decode_base64("data:image/jpeg;base64," + base64.b64encode(raw).decode()) == raw
    with pytest.raises(PhotoInvalid):
        photos.decode_base64("bukan base64!!")
    with pytest.raises(PhotoInvalid):
        photos.decode_base64("A" * (CHECKS.max_photo_bytes * 2))
