"""The WSGI application gunicorn serves (scripts/serve.sh)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from simasn.core.handlers import warm_up  # noqa: E402  (needs the apps loaded)

warm_up()
