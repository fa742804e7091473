"""Refusals of the case services, each with a Chinese message and the API status it maps to."""


class WorkflowError(Exception):
    """A refused action, with a Chinese message and the API status it maps to."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(WorkflowError):
    status = 404


class Forbidden(WorkflowError):
    status = 403


class InvalidState(WorkflowError):
    status = 409


class GuardFailed(WorkflowError):
    status = 400


class TooMany(WorkflowError):
    """An account's limit of an action per window (ACCOUNT_RATE_LIMITS) is reached."""

    status = 429


class StorageFull(WorkflowError):
    """The media storage has no room left (507 Insufficient Storage): not the user's fault."""

    status = 507
