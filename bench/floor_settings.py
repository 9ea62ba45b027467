"""The project's settings with one bench-only URL added (the floor of the check-in load test, see floor_urls).

Used only by the gunicorn that bench_attendance starts (DJANGO_SETTINGS_MODULE=floor_settings, bench/ on the
Python path); the app itself never imports it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
