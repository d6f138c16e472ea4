"""Organiser pages: contests, rounds, the question picker, the live monitor, the standings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest import selectors, services
from contest.forms import ContestForm, DisqualifyForm, RoundForm, apply_errors
from contest.forms_scoring import scoring_summary
from contest.models import Attempt, Contest, Reveal, Round, Selection
from contest.scoring import available
from contest.services.setup import questions_of
from core.errors import DomainError, ValidationFailed
from core.http import domain_errors
from core.roles import Role, check_scope, has_role
from quizbank.models import Topic
from quizbank.picker import picker_context, ticked_ids
from schools.selectors import regions_in_scope


def _organiser(request) -> None:
    if not has_role(request.user, Role.ORGANISER):
        raise PermissionDenied


def _contest(request, pk: int) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("region"), pk=pk)
    check_scope(request.user, contest, "manage")
    return contest


def _round(request, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__region"), pk=pk)
    check_scope(request.user, round_, "manage")
    return round_


@login_required
@domain_errors
def manage_home(request):
    _organiser(request)
    return render(request, "contest/manage/home.html", {"contests": selectors.contests_for_manager(request.user)})


@login_required
@domain_errors
def contest_edit(request, pk: int | None = None):
    _organiser(request)
    contest = _contest(request, pk) if pk else None
    regions = regions_in_scope(request.user).order_by("kind", "code")
    if contest is None:
        from django.utils import timezone

        from contest.models.contests import national_digital_transformation_day

        year = timezone.localdate().year
        initial = {"year": year, "opens_at": national_digital_transformation_day(year)}
    else:
        initial = ContestForm.initial_from(contest)
    form = ContestForm(request.POST or None, initial=initial, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            if contest is None:
                contest = services.contest_create(user=request.user, **form.cleaned_data)
                messages.success(request, _("Đã tạo cuộc thi."))
            else:
                services.contest_update(user=request.user, contest=contest, **form.cleaned_data)
                messages.success(request, _("Đã lưu cuộc thi."))
            return redirect("contest:contest", pk=contest.pk)
        except ValidationFailed as exc:
            apply_errors(form, exc)
    return render(request, "contest/manage/contest_form.html", {"form": form, "contest": contest})


@login_required
@domain_errors
def contest_detail(request, pk: int):
    contest = _contest(request, pk)
    rounds = contest.rounds.order_by("opens_at", "pk")
    return render(request, "contest/manage/contest_detail.html", {"contest": contest, "rounds": rounds})


def _draw_rows(post) -> list[dict]:
    """Rows of the draw-spec editor: draw_topic_N, draw_difficulty_N, draw_count_N."""
    rows = []
    for i in range(20):
        count = (post.get(f"draw_count_{i}") or "").strip()
        if not count:
            continue
        try:
            count_value = int(count)
        except ValueError:
            count_value = -1
        topic = post.get(f"draw_topic_{i}") or ""
        difficulty = post.get(f"draw_difficulty_{i}") or ""
        rows.append(
            {
                "topics": [topic] if topic else [],
                "difficulty": int(difficulty) if difficulty.isdigit() else None,
                "count": count_value,
            }
        )
    return rows


@login_required
@domain_errors
def round_edit(request, contest_pk: int | None = None, pk: int | None = None):
    _organiser(request)
    round_ = _round(request, pk) if pk else None
    contest = round_.contest if round_ else _contest(request, contest_pk)
    initial = RoundForm.initial_from(round_) if round_ else {
        "attempts_policy": "one", "selection": "fixed", "scoring_format": "contest", "duration_min": 15,
        "shuffle_questions": True, "shuffle_choices": True, "reveal_during": Reveal.NOTHING,
        "reveal_after_attempt": Reveal.SCORE, "reveal_after_close": Reveal.EXPLANATIONS, "draw_language": "vi",
    }  # fmt: skip
    form = RoundForm(request.POST or None, initial=initial)
    draw_rows = _draw_rows(request.POST) if request.method == "POST" else (round_.draw_spec if round_ else [])
    # The fixed list is picked on the form itself (the shared picker); "pick_order" is posted
    # whenever the picker was on the page, so a form without it leaves the questions alone.
    picked = request.method == "POST" and "pick_order" in request.POST
    chosen_ids = ticked_ids(request.POST) if picked else [q.pk for q in questions_of(round_)] if round_ else []
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        values["draw_spec"] = draw_rows
        try:
            # One transaction: a refused question list leaves no half-saved round behind.
            with transaction.atomic():
                if round_ is None:
                    round_ = services.round_create(user=request.user, contest=contest, **values)
                else:
                    services.round_update(user=request.user, round_=round_, **values)
                current = [q.pk for q in questions_of(round_)]
                if picked and round_.selection == Selection.FIXED and chosen_ids != current:
                    services.round_set_questions(user=request.user, round_=round_, question_ids=chosen_ids)
            messages.success(request, _("Đã lưu vòng thi.") if pk else _("Đã tạo vòng thi."))
            if round_.selection == Selection.FIXED and not round_.round_questions.exists():
                return redirect("contest:round_questions", pk=round_.pk)
            return redirect("contest:round_manage", pk=round_.pk)
        except DomainError as exc:
            if pk is None:
                round_ = None  # rolled back
            if exc.fields:
                form.add_error(None, str(exc.message))
            apply_errors(form, exc)
    topics = Topic.objects.order_by("position", "slug")
    padded = list(draw_rows) + [{"topics": [], "difficulty": None, "count": ""}] * max(2, 5 - len(draw_rows))
    return render(
        request,
        "contest/manage/round_form.html",
        {
            "form": form,
            "round": round_,
            "contest": contest,
            "topics": topics,
            "draw_rows": padded,
            "formats": available(),
            **picker_context(request.user, request.GET, chosen_ids=chosen_ids, official=True),
        },
    )


@login_required
@domain_errors
def round_manage(request, pk: int):
    round_ = _round(request, pk)
    services.round_finalize_if_due(round_)
    return render(
        request,
        "contest/manage/round_detail.html",
        {
            "round": round_,
            "questions": questions_of(round_),
            "stats": selectors.monitor_stats(round_),
            "scoring": scoring_summary(round_),
        },
    )


def ordered_picks(post, current: list) -> list[int]:
    """The ticked questions of a posted picker in the round's order: the questions already in
    the round by their position field (``pos_<id>``), then the newly ticked ones as ticked."""
    ids = ticked_ids(post)
    known = {q.pk for q in current}

    def key(item):
        index, qid = item
        try:
            position = float(post.get(f"pos_{qid}") or "")
        except ValueError:
            position = None
        if qid in known and position is not None:
            return (0, position, index)
        return (1, 0, index)

    return [qid for _index, qid in sorted(enumerate(ids), key=key)]


@login_required
@domain_errors
def round_questions(request, pk: int):
    """Pick the fixed list from the bank with the shared picker: the chosen ones are listed in
    order (renumber to move one), more are ticked from any search or page."""
    round_ = _round(request, pk)
    chosen = questions_of(round_)
    chosen_ids = [q.pk for q in chosen]
    # Questions sent from the bank browser ("Đưa câu đã chọn vào vòng thi", ?ids=) come ticked.
    chosen_ids += [int(v) for v in request.GET.getlist("ids")[:200] if v.isdigit() and int(v) not in chosen_ids]
    if request.method == "POST":
        ids = ordered_picks(request.POST, chosen)
        try:
            services.round_set_questions(user=request.user, round_=round_, question_ids=ids)
            messages.success(request, _("Đã lưu %(n)d câu hỏi của vòng thi.") % {"n": len(ids)})
            return redirect("contest:round_questions", pk=round_.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            chosen_ids = ids
    pick = picker_context(request.user, request.GET, chosen_ids=chosen_ids, official=round_.contest_id is not None)
    return render(
        request,
        "contest/manage/round_questions.html",
        {"round": round_, "listed": chosen, "started": round_.attempts.exists(), **pick},
    )


@login_required
@domain_errors
def round_monitor(request, pk: int):
    round_ = _round(request, pk)
    services.round_finalize_if_due(round_)
    return render(request, "contest/manage/monitor.html", {"round": round_, "stats": selectors.monitor_stats(round_)})


@login_required
@domain_errors
def round_standings(request, pk: int):
    round_ = _round(request, pk)
    services.round_finalize_if_due(round_)
    final = round_.finalized_at is not None
    rows = list(selectors.board_final(round_) if final else selectors.board_live(round_, limit=500))
    disqualified = Attempt.objects.filter(round=round_, disqualified=True).select_related("student__school", "user")
    for a in rows + list(disqualified):
        a.display = selectors.display_name(a, public=False)
    return render(
        request,
        "contest/manage/standings.html",
        {"round": round_, "rows": rows, "final": final, "disqualified": disqualified},
    )


@login_required
@domain_errors
@require_POST
def round_rescore(request, pk: int):
    round_ = _round(request, pk)
    result = services.rescore_round(round_id=round_.pk)
    messages.success(
        request,
        _("Đã chấm lại %(answers)d câu trả lời của %(attempts)d lượt thi: %(changed)d lượt thay đổi.")
        % {"answers": result["answers"], "attempts": result["attempts"], "changed": result["attempts_changed"]},
    )
    return redirect("contest:round_standings", pk=round_.pk)


@login_required
@domain_errors
@require_POST
def round_close(request, pk: int):
    """ "Đóng vòng ngay", confirmed in the page's dialog."""
    round_ = _round(request, pk)
    try:
        result = services.round_close_now(round_id=round_.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã đóng vòng thi. %(n)d lượt đang làm bài đã kết thúc với các câu trả lời đã lưu.")
            % {"n": result.attempts_ended},
        )
    return redirect("contest:round_manage", pk=round_.pk)


@login_required
@domain_errors
@require_POST
def attempt_disqualify(request, pk: int):
    attempt = get_object_or_404(Attempt.objects.select_related("round__contest__region"), pk=pk)
    check_scope(request.user, attempt.round, "manage")
    form = DisqualifyForm(request.POST)
    form.is_valid()
    try:
        services.attempt_disqualify(
            attempt_id=attempt.pk,
            disqualified=form.cleaned_data.get("disqualified", False),
            reason=form.cleaned_data.get("reason", ""),
        )
        messages.success(request, _("Đã cập nhật kết quả lượt thi."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("contest:round_standings", pk=attempt.round_id)
