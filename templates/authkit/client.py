"""The WorkOS client and how its errors read (added by authkit-django)."""

from __future__ import annotations

import inspect
import os
import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from workos import WorkOSClient

from .conf import request_timeout

# workos 6 and later retry a failed request (three times, with backoff) unless told
# not to; 5.x has no such parameter and does not retry.
_SDK_RETRIES = "max_retries" in inspect.signature(WorkOSClient.__init__).parameters

# One client per process and configuration, so its HTTP connection pool is reused;
# keyed by what it is built from, so changed settings (tests, per-site settings) and
# WORKOS_BASE_URL get a client of their own.
_clients: dict[tuple[str, str, str, int], WorkOSClient] = {}
_clients_lock = threading.Lock()


def workos_client() -> WorkOSClient:
    """The client for the current settings, built on first use."""
    timeout = request_timeout()
    key = (
        settings.WORKOS_API_KEY,
        settings.WORKOS_CLIENT_ID,
        os.environ.get("WORKOS_BASE_URL", ""),
        timeout,
    )
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _new_client(timeout)
            _clients[key] = client
    return client


def _new_client(timeout: int) -> WorkOSClient:
    options: dict[str, Any] = {
        "api_key": settings.WORKOS_API_KEY,
        "client_id": settings.WORKOS_CLIENT_ID,
        "request_timeout": timeout,
    }
    if _SDK_RETRIES:
        # A sign-in code and a refresh token each work once: a retry after a timeout
        # can only fail, and three of them held the browser for minutes.
        options["max_retries"] = 0
    return WorkOSClient(**options)


def error_status(error: Exception) -> int | None:
    """The HTTP status of a WorkOS answer the SDK raised for, if there was one."""
    status = getattr(error, "status_code", None)
    if not isinstance(status, int):
        status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def error_body(error: Exception) -> Mapping[str, Any]:
    """The JSON body of that answer (both SDK lines keep it as ``response_json``)."""
    body = getattr(error, "response_json", None)
    return body if isinstance(body, Mapping) else {}


def refused(error: Exception) -> bool:
    """WorkOS answered and said no (bad code, spent or revoked refresh token).

    Anything else (no answer, a timeout, a 5xx, 429, an answer the SDK could not
    read) is WorkOS failing, not a refusal.
    """
    status = error_status(error)
    return status is not None and 400 <= status < 500 and status not in (401, 429)


def error_code(error: Exception) -> str:
    body = error_body(error)
    for field in ("code", "error"):
        value = body.get(field)
        if isinstance(value, str) and value:
            return value
    return ""


def refusal_reason(error: Exception) -> str:
    """WorkOS's explanation of a refusal, as the SDK exposes it."""
    for attribute in ("error_description", "message"):
        value = getattr(error, attribute, None)
        # workos 5.x fills absent fields with these placeholders.
        if isinstance(value, str) and value and value not in ("Unknown", "No message"):
            return value
    return "no reason given"
