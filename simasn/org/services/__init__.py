"""Writes on the organisation structure. Each public function is `<entity>_<verb>(*, actor, ...)`, runs in one
transaction, checks the actor against `org.rules` and records an audit event in that same transaction."""

from .locations import location_create, location_update
from .positions import position_create, position_deactivate, position_update
from .units import MergeResult, unit_create, unit_delete, unit_delete_blockers, unit_merge, unit_update

__all__ = [
    "MergeResult",
    "location_create",
    "location_update",
    "position_create",
    "position_deactivate",
    "position_update",
    "unit_create",
    "unit_delete",
    "unit_delete_blockers",
    "unit_merge",
    "unit_update",
]
