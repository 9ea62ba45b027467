# SIMASN — perintah pengembangan. Hanya perlu Python 3.11+ dan make.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.terpasang
# The first python3 on PATH that is 3.11 or newer.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: help venv run serve test bench bench-pg lint messages prepare

help:
	@echo "make run    — venv, migrasi, muat demo Kendari, jalankan web + pekerja tugas di http://127.0.0.1:8000"
	@echo "make serve  — seperti run, tetapi tanpa memuat ulang demo (data yang ada tetap)"
	@echo "make test   — ruff, tes di SQLite, lalu PostgreSQL (bila ada) dan tes peramban (bila ada Chromium)"
	@echo "make bench  — tolok ukur dengan kota sintetis (menulis docs/benchmarks.md)"
	@echo "make lint   — ruff"
	@echo "make messages — kompilasi katalog terjemahan (butuh gettext)"

venv: $(STAMP)

$(PY):
	@test -n "$(PYTHON)" || { echo "GAGAL: Python 3.11 atau lebih baru tidak ditemukan di PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Migrate, collect static files and compile translations (when gettext is there) before serving.
prepare: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@if [ ! -d locale ]; then :; \
	elif command -v msgfmt >/dev/null 2>&1; then $(MAKE) --no-print-directory messages; \
	else echo "Catatan: gettext (msgfmt) tidak ada; memakai katalog terjemahan yang sudah dikompilasi di locale/."; fi

run: prepare
	$(PY) manage.py seed_demo
	bash scripts/serve.sh

serve: prepare
	bash scripts/serve.sh

test: venv
	bash scripts/test.sh

bench: venv
	$(PY) bench/run.py --employees 10000 --days 250

bench-pg: venv
	$(PY) bench/run.py --employees 10000 --days 250 --database-url $${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/simasn_bench}

lint: venv
	$(VENV)/bin/ruff check .

messages: venv
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var --verbosity 0
