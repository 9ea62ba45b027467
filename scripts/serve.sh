#!/usr/bin/env bash
# Serve SIMASN the way `make run` and `make serve` do: the task worker, the scheduler of periodic jobs and
# gunicorn side by side. Ctrl-C (or a TERM to this script) stops all three; if gunicorn stops by itself, the
# others are stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${SIMASN_HOST:-127.0.0.1}
PORT=${SIMASN_PORT:-8000}
WORKERS=${SIMASN_WEB_WORKERS:-3}
# A demo served by gunicorn shows the friendly error pages, not Django's debug pages; `make run DEBUG=1` to debug.
export DEBUG=${DEBUG:-0}

pids=()
stop() {
    trap - INT TERM EXIT
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

.venv/bin/python manage.py db_worker &
pids+=($!)
.venv/bin/python manage.py run_scheduler &
pids+=($!)
# --preload: the app and its URLconf load once in the master (config/wsgi.py warms it up); a worker forked at
# start or after max-requests serves at once, where loading it anew cost ~2 s of CPU taken from the others.
# max-requests 20000: a guard against slow leaks, not a routine; at 2000 the morning burst (~300 check-ins/s)
# replaced a worker every few seconds, each new one opening its connection and building its city tables.
.venv/bin/gunicorn config.wsgi --bind "$HOST:$PORT" --workers "$WORKERS" --timeout 60 --graceful-timeout 10 \
    --max-requests 20000 --max-requests-jitter 2000 --preload &
web=$!
pids+=("$web")
printf '\nSIMASN berjalan di http://%s:%s/ — tekan Ctrl-C untuk berhenti.\n\n' "$HOST" "$PORT"
wait "$web"
