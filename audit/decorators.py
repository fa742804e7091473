"""`audited_download`: record who fetched which case file, including refusals."""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from . import actions, record
from .models import Outcome


def audited_download(object_type: str):
    """Wrap a file view taking `pk`: success, refusal (404 from the permission check) or error."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            object_id = kwargs.get("pk", "")
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                record(actions.FILE_DOWNLOAD, outcome=Outcome.DENIED, object_type=object_type,
                       object_id=object_id, request=request, details={"path": request.path[:300]})
                raise
            outcome = Outcome.SUCCESS if response.status_code < 400 else Outcome.FAILURE
            details = {"path": request.path[:300], "status": response.status_code}
            if spec := kwargs.get("spec"):
                details["spec"] = spec
            record(actions.FILE_DOWNLOAD, outcome=outcome, object_type=object_type, object_id=object_id,
                   request=request, details=details)
            return response

        return wrapper

    return decorator
