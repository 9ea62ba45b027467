"""Test helpers shared by every app's tests: run `manage.py calc` and return (exit code, parsed JSON output)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def run_calc(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("calc", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())
