"""The app's URLs plus the floor of the check-in load test: a bare Django view that inserts one row.

The floor goes through the same server, workers, middleware and database as the check-in API, and does the
least a write endpoint can do: read the body, one INSERT (autocommit), a small JSON answer. No auth, no CSRF
(a bench-only URL, never mounted by config.urls). The check-in's requests/s as a share of the floor's is what
issue 4 asks for (≥ 40 %).
"""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler403, handler404, handler500  # noqa: F401  (the error views stay the app's)
from config.urls import urlpatterns as app_urlpatterns

FLOOR_TABLE = "bench_floor"
FLOOR_PATH = "bench/floor/"


def create_floor_table() -> None:
    """The table the floor writes to (created by the benchmark, dropped after it)."""
    if connection.vendor == "postgresql":
        ddl = (f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, body_bytes integer NOT NULL, "
               "created_at timestamptz NOT NULL DEFAULT now())")
    else:
        ddl = (f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id integer PRIMARY KEY AUTOINCREMENT, "
               "body_bytes integer NOT NULL, created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    with connection.cursor() as cursor:
        cursor.execute(ddl)


def drop_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def floor_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FLOOR_TABLE}")
        return cursor.fetchone()[0]


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> JsonResponse:
    size = len(request.body)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (body_bytes) VALUES (%s)", [size])
    return JsonResponse({"ok": True, "bytes": size}, status=201)


urlpatterns = [path(FLOOR_PATH, floor, name="bench_floor"), *app_urlpatterns]
