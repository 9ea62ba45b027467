"""Employee import from .xlsx/.csv: parse → preview with per-row errors → commit all-or-nothing.

Public API (used by views, the background task, the API and benchmarks):
`parse_upload`, `batch_create`, `batch_commit`, `batch_start_commit`, `TEMPLATE_COLUMNS`, `template_workbook`.
"""

from .batches import (
    ImportForbidden,
    batch_commit,
    batch_create,
    batch_get_for,
    batch_list_for,
    batch_preview_rows,
    batch_queryset_for,
    batch_start_commit,
    inline_row_limit,
)
from .columns import COLUMNS, EXPORT_EXTRA_COLUMNS, TEMPLATE_COLUMNS, template_workbook
from .reader import ImportFileError, ParsedFile, ParsedRow, RowError, parse_upload

__all__ = [
    "COLUMNS", "EXPORT_EXTRA_COLUMNS", "TEMPLATE_COLUMNS", "ImportFileError", "ImportForbidden", "ParsedFile",
    "ParsedRow", "RowError", "batch_commit", "batch_create", "batch_get_for", "batch_list_for",
    "batch_preview_rows", "batch_queryset_for", "batch_start_commit", "inline_row_limit", "parse_upload",
    "template_workbook",
]
