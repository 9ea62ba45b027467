"""The English catalogue: complete, compiled, and chosen only by the footer's language switcher.

Source strings are Bahasa Indonesia; English is the one other language offered (settings.LANGUAGES)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
LOGIN_BUTTON = "btn-lg\">{}</button>"


@dataclass
class Entry:
    msgctxt: str | None = None  # pgettext context, e.g. "presensi" for the check-in "Masuk"
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    """Just enough of the PO format for the checks below (polib is not a project dependency)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? (".*")$', line):
            keyword, index, text = match.group(1), int(match.group(2) or 0), ast.literal_eval(match.group(3))
            target = (keyword, index)
            if keyword == "msgstr":
                entry.msgstr[index] = text
            else:
                setattr(entry, keyword, text)
        elif line.startswith('"') and target is not None:
            keyword, index = target
            text = ast.literal_eval(line)
            if keyword == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, keyword, getattr(entry, keyword) + text)
    return [e for e in entries if e.msgid]  # the header has an empty msgid


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO)


@pytest.fixture(autouse=True)
def back_to_indonesian():
    """The test client runs in this thread: keep an English response from leaking into later tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_catalogue_covers_the_interface(catalogue):
    msgids = {e.msgid for e in catalogue}
    assert {"Masuk", "Keluar", "Beranda", "Pegawai", "Profil Saya", "Kalkulator Regulasi"} <= msgids
    assert len(catalogue) > 500


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [e.msgid for e in catalogue if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms(catalogue):
    plurals = [e for e in catalogue if e.msgid_plural is not None]
    assert plurals
    assert all(sorted(e.msgstr) == [0, 1] for e in plurals)


def test_translations_keep_every_placeholder(catalogue):
    def pairs(e: Entry):
        yield e.msgid, e.msgstr.get(0, "")
        if e.msgid_plural is not None:
            yield e.msgid_plural, e.msgstr.get(1, "")

    broken = [(src, dst) for e in catalogue for src, dst in pairs(e)
              if sorted(PLACEHOLDER.findall(src)) != sorted(PLACEHOLDER.findall(dst))]
    assert broken == []


def test_gettext_accepts_the_catalogue():
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext (msgfmt) is not installed")
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"\d+ translated messages\.", done.stderr.strip()), done.stderr


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """A .po edited without recompiling would leave the site showing stale or missing English."""
    assert MO.exists(), "run: manage.py compilemessages (or make messages)"
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    def single(e: Entry) -> str:
        return compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)

    stale = [e.msgid for e in catalogue
             if (e.msgid_plural is None and single(e) != e.msgstr[0])
             or (e.msgid_plural is not None
                 and (compiled.ngettext(e.msgid, e.msgid_plural, 1), compiled.ngettext(e.msgid, e.msgid_plural, 2))
                 != (e.msgstr[0], e.msgstr[1]))]
    assert stale == []


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert LOGIN_BUTTON.format("Masuk") in page
    assert '<html lang="id">' in page


@pytest.mark.django_db
def test_language_cookie_switches_the_login_page_to_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert LOGIN_BUTTON.format("Log in") in page
    assert "Log in to SIMASN" in page
    assert '<html lang="en">' in page
    assert "Masuk" not in page


@pytest.mark.django_db
def test_browser_accept_language_does_not_switch_the_language(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert LOGIN_BUTTON.format("Masuk") in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_footer_switcher_sets_english_for_the_signed_in_pages(client_for, users):
    client = client_for(users.staff_a)
    home = reverse("core:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(home).content.decode()
    assert all(text in page for text in ("Home", "Employees", "My Profile", "Log out", "Regulation Calculators"))
    assert "Beranda" not in page
