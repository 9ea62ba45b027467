"""Materialised-path helpers for the unit tree.

A unit's `path` is the chain of ids from the root down to itself, "/1/7/42/". A subtree is every path with
that prefix, so "is X inside Y" is a string test and a whole subtree moves with one UPDATE.
"""

from __future__ import annotations

# Unit.path is a CharField(max_length=255); a move that would overflow it is refused, not truncated.
PATH_MAX_LENGTH = 255


def child_path(parent_path: str | None, unit_id: int) -> str:
    """Path of a unit with this id under a parent path ("/1/7/" + 42 → "/1/7/42/")."""
    return f"{parent_path or '/'}{unit_id}/"


def depth_of(path: str) -> int:
    return path.strip("/").count("/") if path.strip("/") else 0


def ids_of(path: str) -> list[int]:
    """The ids along a path, root first, the unit itself last ("/1/7/42/" → [1, 7, 42])."""
    return [int(part) for part in path.strip("/").split("/") if part]


def ancestor_ids(path: str) -> list[int]:
    """Ids of the strict ancestors, root first."""
    return ids_of(path)[:-1]


def is_within(path: str, root_path: str) -> bool:
    """True when `path` is `root_path` itself or lies below it."""
    return path.startswith(root_path)


def rebased(path: str, old_prefix: str, new_prefix: str) -> str:
    """The path a descendant gets when the subtree rooted at `old_prefix` moves to `new_prefix`."""
    if not path.startswith(old_prefix):
        raise ValueError(f"{path!r} is not inside {old_prefix!r}")
    return new_prefix + path[len(old_prefix):]
