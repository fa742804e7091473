"""公示 (public notice) on the site: the list of cases in notice, a case's notice page with the
objection form (异议), the confirmation with its reference number, and the progress lookup.
Only the notice views read cases in notice (docs/domain.md §3); the rules are `cases.notice`'s
and `cases.objection_progress`'s."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import notice, objection_progress
from cases.errors import WorkflowError
from cases.models import Case

from . import selectors
from .forms import ObjectionForm, ObjectionLookupForm
from .http import cache_public, no_store
from .paging import LIST_PAGE_SIZE, Window, no_such_page, requested_page


@require_GET
def notice_list(request):
    window = Window(requested_page(request.GET), selectors.noticed_count(), LIST_PAGE_SIZE)
    context = {"now": timezone.now()}
    if not window.exists:
        return no_such_page(request, "website/notice_list.html", context, window)
    context.update(window.context(), cases=selectors.noticed_cases(offset=window.offset, limit=window.size))
    response = render(request, "website/notice_list.html", context)
    return cache_public(request, response)


def _notice_open(case: Case) -> bool:
    return case.notice_ends is None or timezone.now() <= case.notice_ends


@require_http_methods(["GET", "HEAD", "POST"])
def notice_detail(request, pk: int):
    case = selectors.noticed_case(pk)
    if case is None:
        raise Http404(_("未找到该公示案例。"))
    form = ObjectionForm()
    refused = ""
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES)
        fields = {k: request.POST.get(k, "") for k in ("name", "phone", "email", "reason")}
        objection = None
        try:
            if form.is_valid():
                objection = notice.submit_objection(case_id=case.pk, evidence=form.cleaned_data.get("evidence"), **fields)
            else:
                _check_objection(case.pk, fields)  # every error at once, not the consent box first
        except ValidationError as exc:
            form.add_service_errors(exc)
        except WorkflowError as exc:
            refused = str(exc)
        if objection is not None:
            received = request.session.get("objections_received", {})
            received[str(case.pk)] = objection.reference
            request.session["objections_received"] = received
            return HttpResponseRedirect(reverse("website:objection_received", args=[case.pk]), status=303)
    context = {
        "case": case,
        "indicators": list(case.indicators.all()),
        "links": list(case.links.all()),
        "form": form,
        "refused": refused,
        "open": _notice_open(case),
        "retention_days": settings.CASEBOOK["OBJECTION_RETENTION_DAYS"],
        "now": timezone.now(),
    }
    status = 400 if (form.errors or refused) else 200
    return no_store(render(request, "website/notice_detail.html", context, status=status))


class _DryRun(Exception):
    pass


def _check_objection(case_id: int, fields: dict) -> None:
    """Run the service's checks without keeping anything (the savepoint is rolled back).

    Used when the form itself is incomplete (no consent), so that the visitor sees every
    problem in one go. No file is passed, so nothing reaches the storage either.
    """
    try:
        with transaction.atomic():
            notice.submit_objection(case_id=case_id, evidence=None, **fields)
            raise _DryRun
    except _DryRun:
        pass


@require_GET
def objection_received(request, pk: int):
    """The confirmation with the reference number, for whoever just objected (from the session)."""
    reference = request.session.get("objections_received", {}).get(str(pk))
    if reference is None:
        return redirect("website:notice", pk=pk)
    case = selectors.case_title(pk)
    if case is None:
        raise Http404
    context = {"case": case, "reference": reference,
               "retention_days": settings.CASEBOOK["OBJECTION_RETENTION_DAYS"]}
    return no_store(render(request, "website/objection_received.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def objection_lookup(request):
    """异议进度查询: reference number + last four phone digits → status and, once ruled, the ruling."""
    form = ObjectionLookupForm(request.POST if request.method == "POST" else None)
    progress, not_found = None, False
    if request.method == "POST" and form.is_valid():
        progress = objection_progress.lookup(reference=form.cleaned_data["reference"],
                                             phone_last4=form.cleaned_data["phone_last4"])
        not_found = progress is None
    context = {"form": form.accessible(), "progress": progress, "not_found": not_found}
    status = 400 if form.errors else (404 if not_found else 200)
    return no_store(render(request, "website/objection_lookup.html", context, status=status))
