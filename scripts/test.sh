#!/usr/bin/env bash
# `make test`: lint, migrations check, the suite on SQLite, again on PostgreSQL when one answers, and the
# browser tests when Debian's Chromium is installed. Every skip says why; with CI=true a skip is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
CI=${CI:-false}
PG_URL=${SIMASN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/simasn}
CHROMIUM=/usr/bin/chromium
# Test runs use their own var/ so they never touch the database `make run` serves.
export SIMASN_VAR_DIR=${SIMASN_VAR_DIR:-$PWD/var/test}
mkdir -p "$SIMASN_VAR_DIR/staticfiles"  # WhiteNoise warns on every request when STATIC_ROOT is missing

step() { printf '\n== %s\n' "$*"; }
die() { printf '\nGAGAL: %s\n' "$*" >&2; exit 1; }

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
run_pytest() {
    "$PY" -m pytest "$@"
    local rc=$?
    [ "$rc" -eq 5 ] && die "pytest tidak menemukan satu tes pun ($*)."
    [ "$rc" -eq 0 ] || die "pytest gagal (kode keluar $rc)."
}

pg_answers() {
    "$PY" - "$PG_URL" <<'PYEOF' >/dev/null 2>&1
import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
PYEOF
}

step "ruff"
.venv/bin/ruff check . || die "ruff menemukan masalah."

step "migrasi lengkap (makemigrations --check)"
env -u DATABASE_URL "$PY" manage.py makemigrations --check --dry-run >/dev/null \
    || die "makemigrations --check gagal: ada perubahan model tanpa migrasi ('manage.py makemigrations'), atau proyek tidak dapat dimuat (lihat di atas)."

browser_args=()
if [ -x "$CHROMIUM" ]; then
    browser_note="tes peramban ikut (Chromium: $CHROMIUM)"
else
    browser_args=(-m "not browser")
    browser_note="tes peramban DILEWATI: $CHROMIUM tidak ada (apt-get install chromium)"
    [ "$CI" = "true" ] && die "$browser_note — di CI tes peramban wajib jalan."
fi

step "pytest di SQLite; $browser_note"
(unset DATABASE_URL; run_pytest "${browser_args[@]}") || exit 1

if pg_answers; then
    # The browser tests check pages, not the database engine: once on SQLite is enough.
    step "pytest di PostgreSQL ($PG_URL), tanpa tes peramban"
    DATABASE_URL=$PG_URL run_pytest -m "not browser"
else
    msg="PostgreSQL tidak menjawab di $PG_URL: putaran PostgreSQL DILEWATI"
    [ "$CI" = "true" ] && die "$msg — di CI PostgreSQL wajib."
    printf '\n%s\n' "$msg"
fi

printf '\nSemua pemeriksaan lulus.\n'
