"""The signal every case event sends after its transaction commits.

`case_transitioned(sender=Case, case=..., record=CaseTransition)` is sent by the lifecycle's
paths (`cases.workflow`, `cases.workflow_import`) once per recorded event, only after commit, so
nothing is sent for a rolled-back change. Notifications, the audit log, the search index,
renditions, compilations and the front cache listen here. It lives in a module of its own so
that listeners depend on the signal, not on the workflow (no import cycle through it).
"""

from django.dispatch import Signal

case_transitioned = Signal()

# `objection_event(sender=Objection, objection=..., event="received" | "ruled")`, sent by
# `cases.notice` after the objection's transaction commits. notifications mails the objector
# (cases stands below notifications and never imports it: docs/architecture.md, "Layers").
objection_event = Signal()
