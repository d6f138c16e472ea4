"""Teachers' class rounds (homework): the teacher's list, the form, the class results and
their export. The questions page, the monitor and the attempt review are the organisers'
pages, which a round's managers reach through ``check_scope(..., "manage")``."""

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from contest import selectors_class, services
from contest.forms import apply_errors
from contest.forms_class import ClassRoundForm
from contest.models import AttemptStatus, Reveal, Round
from contest.scope import class_ids
from contest.services.class_rounds import class_round_create, class_round_update
from contest.services.setup import questions_of
from core.errors import DomainError
from core.exports import csv_bytes, csv_form, local_datetime, number, xlsx_row
from core.http import domain_errors
from core.roles import Role, check_scope, has_role
from core.templatetags.durations import duration_text
from quizbank.picker import picker_context, ticked_ids
from schools.selectors import classes_in_scope


def _staff(request) -> None:
    if not has_role(request.user, Role.TEACHER, Role.COORDINATOR):
        raise PermissionDenied


def _class_round(request, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("school"), pk=pk, contest__isnull=True)
    check_scope(request.user, round_, "manage")
    if not class_ids(round_):
        raise Http404
    return round_


@login_required
@domain_errors
def class_rounds(request):
    _staff(request)
    now = timezone.now()
    rounds = list(selectors_class.class_rounds_for(request.user))
    for r in rounds:
        r.state_now = r.state(now)
    return render(request, "contest/class/list.html", {"rounds": rounds})


def _class_round_form_page(request, round_: Round | None):
    """The class round form, with the shared question picker, to create or to edit a round."""
    _staff(request)
    classes = list(classes_in_scope(request.user).select_related("school").order_by("-school_year", "grade", "name"))
    if round_ is None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {
            "opens_at": now,
            "closes_at": now + datetime.timedelta(days=7),
            "duration_min": 15,
            "attempts_policy": "one",
            "shuffle_questions": True,
            "shuffle_choices": True,
            "reveal_after_attempt": Reveal.CORRECTNESS,
            "reveal_after_close": Reveal.EXPLANATIONS,
        }
        chosen_ids = []
    else:
        initial = ClassRoundForm.initial_from(round_)
        chosen_ids = [q.pk for q in questions_of(round_)]
    form = ClassRoundForm(request.POST or None, initial=initial, classes=classes)
    if request.method == "POST":
        chosen_ids = ticked_ids(request.POST)
        if form.is_valid():
            try:
                if round_ is None:
                    round_ = class_round_create(user=request.user, question_ids=chosen_ids, **form.service_values())
                    messages.success(request, _("Đã giao bài."))
                else:
                    values = form.values_for(round_)
                    class_round_update(user=request.user, round_=round_, question_ids=chosen_ids, **values)
                    messages.success(request, _("Đã lưu bài."))
                if not chosen_ids:
                    messages.warning(request, _("Bài chưa có câu hỏi: hãy chọn câu hỏi cho bài."))
                    return redirect("contest:round_questions", pk=round_.pk)
                return redirect("contest:round_manage", pk=round_.pk)
            except DomainError as exc:
                if exc.fields:  # say why at the top too (a refusal names the fields it locks)
                    form.add_error(None, str(exc.message))
                apply_errors(form, exc)
    context = {
        "form": form,
        "round": round_,
        "has_classes": bool(classes),
        "started": round_ is not None and round_.attempts.exists(),
        **picker_context(request.user, request.GET, chosen_ids=chosen_ids),
    }
    return render(request, "contest/class/form.html", context)


@login_required
@domain_errors
def class_round_create_page(request):
    return _class_round_form_page(request, None)


@login_required
@domain_errors
def class_round_edit(request, pk: int):
    _staff(request)
    return _class_round_form_page(request, _class_round(request, pk))


def _result_rows(data: dict) -> list[list]:
    """One row per pupil, as a person reads it (the export and the page agree)."""
    out = []
    for row in data["rows"]:
        s, a = row["student"], row["attempt"]
        if a is None:
            status = _("Chưa làm")
        else:
            status = str(a.get_status_display())
        ended = a is not None and a.status != AttemptStatus.IN_PROGRESS
        out.append(
            [
                s.full_name,
                s.school_class.name if s.school_class else "",
                status,
                a.score if ended else None,
                data["max_score"],
                a.correct_count if ended else None,
                data["total"],
                duration_text(a.time_used_ms / 1000) if ended and a.time_used_ms is not None else "",
                local_datetime(a.submitted_at) if ended else "",
                row["attempts"],
            ]
        )
    return out


def _headers() -> list[str]:
    return [
        _("Họ và tên"),
        _("Lớp"),
        _("Trạng thái"),
        _("Điểm"),
        _("Điểm tối đa"),
        _("Số câu đúng"),
        _("Số câu"),
        _("Thời gian làm bài"),
        _("Nộp lúc"),
        _("Số lượt"),
    ]


@login_required
@domain_errors
def class_results(request, pk: int):
    round_ = _class_round(request, pk)
    services.round_finalize_if_due(round_)
    data = selectors_class.class_results(round_)
    return render(request, "contest/class/results.html", {"round": round_, **data})


@login_required
@domain_errors
def class_results_export(request, pk: int, fmt: str):
    round_ = _class_round(request, pk)
    services.round_finalize_if_due(round_)
    data = selectors_class.class_results(round_)
    rows = _result_rows(data)
    stem = f"ket-qua-bai-{round_.pk}"
    if fmt == "csv":
        # Numbers as a Vietnamese reader writes them (20,5), like every CSV people read.
        text_rows = [[number(v, 2) if isinstance(v, int | float) else v for v in values] for values in rows]
        body = csv_bytes(_headers(), text_rows, form=csv_form(request))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Kết quả")[:31])
    ws.append(xlsx_row(ws, _headers()))
    number_formats = [None, None, None, "#,##0.##", "#,##0.##", "0", "0", None, None, "0"]
    for values in rows:
        ws.append(xlsx_row(ws, values, number_formats))
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response
