"""Materialised-path helpers for the unit tree."""

from __future__ import annotations


def child_path(parent_path: str | None, unit_id: int) -> str:
    """Path of a unit with this id under a parent path ("/1/7/" + 42 → "/1/7/42/")."""
    return f"{parent_path or '/'}{unit_id}/"


def depth_of(path: str) -> int:
    return path.strip("/").count("/") if path.strip("/") else 0
