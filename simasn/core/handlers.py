"""Two middleware chains: the browser's (settings.MIDDLEWARE) and the device-token API's
(settings.TOKEN_API_MIDDLEWARE).

A phone sends every request to /api/ with `Authorization: Bearer <device token>` and no cookies. Sessions,
CSRF, messages, the locale cookie, the admin's second factor, htmx and clickjacking headers protect or serve a
browser; for a token request they only cost time (~0.9 ms of CPU per check-in, a sixth of it, measured in
docs/benchmarks.md) and change nothing: the token is its only credential, and BearerDeviceAuth answers
`is_verified() == False` whatever the session says. Everything else on the API keeps the browser chain: the
session API of the web pages, and the token login unless a phone sends its old token along (django-axes, in
both chains, counts the failures either way).

TokenAPIMiddleware, first in the browser chain, picks the chain per request, so the test client takes the same
path as gunicorn and the API tests run through the chain production uses.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PREFIX = "/api/"


def is_token_api_request(environ: dict[str, Any]) -> bool:
    """A request to the API that carries a Bearer token (the scheme is case-insensitive, RFC 7235)."""
    return (environ.get("PATH_INFO", "").startswith(API_PREFIX)
            and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer ")


class _TokenAPIChain(BaseHandler):
    """A handler that loads settings.TOKEN_API_MIDDLEWARE instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads the list from settings; it is swapped only while this chain loads (once, when the
        # browser chain is built, before any request is served).
        browser_chain = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.TOKEN_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = browser_chain


class TokenAPIMiddleware:
    """First in settings.MIDDLEWARE: token API requests leave the browser chain here for the token chain.

    Being a middleware, the switch is the same under gunicorn and in the test client. The token chain ends, like
    every chain, in URL resolution and the view; the outer handler (WSGI or test) still sends the signals,
    logs errors and closes the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        chain = _TokenAPIChain()
        chain.load_middleware()
        self.token_chain = chain._middleware_chain  # what BaseHandler.get_response calls, minus its logging

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_token_api_request(request.META):
            return self.token_chain(request)
        return self.get_response(request)


class TokenRequestMiddleware:
    """What the browser chain's session, auth and locale middleware would leave on a request without cookies:
    an anonymous user until the token authenticates, and the default language (Bahasa Indonesia), set for
    every request because a worker's previous request may have activated another."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


def warm_up() -> None:
    """Import the URLconf and the views it names (the first request would, at ~1 s of CPU), then close any
    database connection that opened: under `gunicorn --preload` this runs once in the master, so a worker
    forked later (at start or after max-requests) serves at once and shares no connection.

    What is loaded by then lives as long as the process: `gc.freeze()` keeps it out of the collector's
    passes, which otherwise walk every imported object (and, after a fork, copy the pages they touch)."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (evaluating the property imports every URL module)
    connections.close_all()
    gc.collect()
    gc.freeze()
