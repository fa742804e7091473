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


class StorageFull(WorkflowError):
    """The media storage has no room left (507 Insufficient Storage): not the user's fault."""

    status = 507
