"""Test helpers shared by every app's tests: the calculator CLI runner and the browser-test set-up."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


def run_calc(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("calc", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


# --- Browser tests (Playwright driving Debian's Chromium; `playwright install` cannot download here) ---
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium tidak terpasang (/usr/bin/chromium)"),
]


@contextmanager
def launched_chromium(*extra_args: str) -> Iterator[Any]:
    """A headless Chromium for one test module. Playwright's sync API runs an event loop in this thread, so
    Django's async-safety check is switched off for these tests only (the deploy check, run in a subprocess,
    rightly warns about the variable)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
