"""Fixtures for the employee master-data tests (uploads land in a temporary media directory)."""

from __future__ import annotations

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """MEDIA_ROOT in a fresh directory, so a test can assert that a refused upload left no file behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
