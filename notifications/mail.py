"""Outgoing e-mail as a task: sent by the task worker in production, inline elsewhere.

Callers queue it after their transaction commits (workflow signals, `transaction.on_commit`),
so a rolled-back change mails nobody; with the database queue (TASKS_BACKEND=database) a slow
or unreachable SMTP server delays the worker, never a request, and a failed send stays in the
queue's results with its traceback.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import TaskContext, task


def message_id(task_id: str) -> str:
    """One Message-ID per queued e-mail, the same on every run of its task."""
    domain = (settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "casebook.invalid")
    return f"<casebook-{task_id}@{domain}>"


@task(takes_context=True)
def send_email(context: TaskContext, subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one plain-text e-mail; returns the number sent.

    A task whose worker died after the SMTP server took the message is run again
    (background/recovery.py): the second copy carries the same Message-ID, by which mail
    systems recognise it as the same message."""
    email = EmailMessage(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to,
                         headers={"Message-ID": message_id(context.task_result.id)})
    return email.send()


def queue_email(subject: str, body: str, to: list[str], from_email: str | None = None) -> None:
    """Queue one e-mail (arguments are stored as JSON, so plain strings only).

    The subject is made one line: it often quotes a title or a reason, and a line break in a
    header would make the send fail (BadHeaderError) and the mail be lost."""
    subject = " ".join(str(subject).split())
    send_email.enqueue(subject, str(body), [str(address) for address in to], from_email)
