"""The request being served, so that `audit.record` can name the actor and address anywhere.

Services (exports, workflow effects run on commit) do not receive the request; the middleware
below puts it in a context variable for the duration of the request.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

from . import actions, record
from .models import Outcome

_current: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


def current_request() -> HttpRequest | None:
    return _current.get()


class AuditContextMiddleware:
    """Remember the request; record refused accesses (HTTP 403) to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                record(
                    actions.ACCESS_DENIED, outcome=Outcome.DENIED, request=request,
                    details={"method": request.method, "path": request.path[:300]},
                )
            return response
        finally:
            _current.reset(token)
