"""The audit log (审计日志): who did what, when, from where, and with what outcome.

`audit.record(...)` is the one way to write an event; see `audit.services.record`.
"""


def record(action: str, **kwargs):
    """Write one audit event (lazy import: this package is imported before the apps are ready)."""
    # In the function: this package is imported before the app registry is ready (services imports models).
    from .services import record as _record

    return _record(action, **kwargs)
