"""Outgoing e-mail as a task: sent by the task worker in production, inline elsewhere.

Callers queue it after their transaction commits (workflow signals, `transaction.on_commit`),
so a rolled-back change mails nobody; with the database queue (TASKS_BACKEND=database) a slow
or unreachable SMTP server delays the worker, never a request, and a failed send stays in the
queue's results with its traceback.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one plain-text e-mail; returns the number sent (Django's `send_mail`)."""
    return send_mail(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to)


def queue_email(subject: str, body: str, to: list[str], from_email: str | None = None) -> None:
    """Queue one e-mail (arguments are stored as JSON, so plain strings only).

    The subject is made one line: it often quotes a title or a reason, and a line break in a
    header would make the send fail (BadHeaderError) and the mail be lost."""
    subject = " ".join(str(subject).split())
    send_email.enqueue(subject, str(body), [str(address) for address in to], from_email)
