"""Pages of the leaderboard app: public results, the organisers' review, live boards,
exports and certificate verification. Thin: they call the same services and selectors as
the API."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest.models import Attempt, Contest, Round
from contest.scope import managed_contests, manages_contest, manages_round
from core import pagecache
from core.errors import DomainError, NotFound
from core.exports import csv_form
from core.jobs import JobStatus
from core.pdf import qr_svg
from core.roles import in_scope
from leaderboard import services
from leaderboard.aggregation import METRICS, unit_ranking
from leaderboard.certificates import certificate_number, certificate_status
from leaderboard.charts import publication_charts
from leaderboard.exports import pdf, tables
from leaderboard.exports.jobs import export_start
from leaderboard.models import ExportJob, Kind, Metric, Publication, PublishedRow, ReviewAction
from leaderboard.rankings import allocate, allocate_individual, individual_ranking
from leaderboard.scopes import parse_filters, ranking_scope
from leaderboard.selectors import display_names, public_publications, publications_of, search_rows
from leaderboard.topics import topic_breakdown
from schools.models import Level, Region

PAGE_ROWS = 100


def base_url(request) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


# --- public -----------------------------------------------------------------------------------
def index(request):
    pubs = pagecache.cached(
        pagecache.RANKINGS, "index", lambda: list(public_publications().filter(superseded_at__isnull=True)[:200])
    )
    return render(request, "leaderboard/index.html", {"publications": pubs})


def _publication(pk) -> Publication:
    return get_object_or_404(Publication.objects.select_related("contest", "superseded_by"), pk=pk)


# The unit columns the page shows; the ordering key is added when it is not one of them.
_UNIT_PAGE_METRICS = ("participants", "participation_rate", "mean_score", "prize_points")
_UNIT_PAGE_TITLES = {
    "participants": gettext_lazy("Tham gia"),
    "participation_rate": gettext_lazy("Tỉ lệ"),
    "mean_score": gettext_lazy("Điểm TB"),
    "prize_points": gettext_lazy("Điểm thi đua"),
}


def _unit_columns(pub: Publication) -> list[dict]:
    """The unit metrics shown on the page, with the ordering key marked."""
    keys = list(_UNIT_PAGE_METRICS)
    if pub.metric and pub.metric not in keys:
        keys.insert(0, pub.metric)
    all_cols = tables.columns(pub, full=False)
    out = []
    for key in keys:
        col = all_cols[tables.METRIC_COLUMN[key]]
        out.append({"key": key, "title": _UNIT_PAGE_TITLES.get(key, col.title), "kind": col.kind})
    return [{**c, "ordering": c["key"] == pub.metric} for c in out]


def _with_cells(pub: Publication, page_rows, names: dict, unit_columns: list[dict]) -> list[tuple]:
    """(row, shown name, unit cells as text), numbers as ``tables.text_of`` writes them, the
    participation rate with as many decimals as the whole ranking needs to show its order."""
    decimals = 2
    if any(c["key"] == "participation_rate" for c in unit_columns):
        decimals = tables.pct_decimals(
            pub.rows.order_by("position").values_list("values__participation_rate", flat=True)
        )
    out = []
    for r in page_rows:
        cells = []
        for c in unit_columns:
            value = r.values.get(c["key"])
            if c["key"] == "participation_rate" and value is not None:
                value = value * 100
            cells.append({"text": tables.text_of(value, c["kind"], decimals) or "–", "ordering": c["ordering"]})
        out.append((r, names[r.pk], cells))
    return out


def _publication_view(pk, q: str, page_number) -> dict:
    """What the public page of a publication shows, as plain values (so it can be cached)."""
    pub = _publication(pk)
    page = Paginator(search_rows(pub, q), PAGE_ROWS).get_page(page_number)
    names = display_names(pub, page.object_list)
    unit_columns = _unit_columns(pub) if pub.is_units else []
    return {
        "pub": pub,
        # The page's numbers, not the Page (it holds the queryset of every row).
        "page": {
            "number": page.number,
            "paginator": {"num_pages": page.paginator.num_pages},
            "has_other_pages": page.has_other_pages(),
            "has_previous": page.has_previous(),
            "has_next": page.has_next(),
            "previous_page_number": page.number - 1,
            "next_page_number": page.number + 1,
        },
        "rows": _with_cells(pub, page.object_list, names, unit_columns),
        "versions": list(Publication.objects.filter(contest=pub.contest, series=pub.series).order_by("-version")),
        "unit_columns": unit_columns,
        "legend": str(tables.ordering_legend(pub)),
        "charts": publication_charts(pub.summary),
    }


def publication(request, pk):
    q = request.GET.get("q", "")
    page_number = request.GET.get("page") or "1"
    if q or not page_number.isdigit() or len(page_number) > 4:
        view = _publication_view(pk, q, page_number)  # searches are too varied to share
    else:
        # Public rankings are what everybody opens after a round: shared by every visitor, per
        # page and language, until a (re)publication or a change of consent bumps RANKINGS.
        view = pagecache.cached(
            pagecache.RANKINGS,
            f"publication:{pk}:{page_number}:{get_language()}",
            lambda: _publication_view(pk, q, page_number),
        )
    return render(
        request,
        "leaderboard/publication.html",
        {
            **view,
            "manages": request.user.is_authenticated and manages_contest(request.user, view["pub"].contest),
            "q": q,
        },
    )


def publication_print(request, pk):
    pub = _publication(pk)
    all_rows = list(pub.rows.order_by("position")[: pdf.RESULT_ROWS])
    names = display_names(pub, all_rows)
    unit_columns = (
        [c for c in _unit_columns(pub) if c["ordering"] or c["key"] == "participants"] if pub.is_units else []
    )
    return render(
        request,
        "leaderboard/print.html",
        {
            "pub": pub,
            "rows": _with_cells(pub, all_rows, names, unit_columns),
            "unit_columns": unit_columns,
            "legend": tables.ordering_legend(pub),
        },
    )


def publication_export(request, pk, fmt):
    pub = _publication(pk)
    if fmt == "csv":
        body = tables.csv_bytes(pub, form=csv_form(request))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(tables.xlsx_bytes(pub), content_type=tables.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{tables.file_name(pub, fmt)}"'
    return response


def results_pdf(request, pk):
    pub = _publication(pk)
    response = HttpResponse(pdf.results_pdf(pub), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.file_name(pub, "ket-qua")}"'
    return response


def verify(request, code):
    row = (
        PublishedRow.objects.select_related("publication__contest", "publication__superseded_by")
        .filter(code=code)
        .first()
    )
    if row is None:
        return render(request, "leaderboard/verify.html", {"row": None, "code": code}, status=404)
    # The public name, as the public ranking shows it; the full name is only on the paper.
    name = display_names(row.publication, [row])[row.pk]
    url = base_url(request) + reverse("leaderboard:verify", args=[code])
    context = {
        "row": row,
        "name": name,
        "pub": row.publication,
        "qr": qr_svg(url),
        "status": certificate_status(row),
        "number": certificate_number(row),
    }
    return render(request, "leaderboard/verify.html", context)


# --- live boards ------------------------------------------------------------------------------
@login_required
def round_board(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
    if not in_scope(request.user, round_, "view"):
        raise Http404
    return render(
        request, "leaderboard/board.html", {"obj": round_, "kind": "round", "ws": f"/ws/leaderboard/rounds/{pk}/"}
    )


@login_required
def contest_board(request, pk):
    contest = get_object_or_404(Contest, pk=pk)
    if not in_scope(request.user, contest, "view"):
        raise Http404
    return render(
        request, "leaderboard/board.html", {"obj": contest, "kind": "contest", "ws": f"/ws/leaderboard/contests/{pk}/"}
    )


# --- organisers -------------------------------------------------------------------------------
def _managed_contest(request, pk) -> Contest:
    if not request.user.is_authenticated:
        raise Http404
    contest = get_object_or_404(Contest.objects.select_related("region"), pk=pk)
    if not manages_contest(request.user, contest):
        raise Http404
    return contest


@login_required
def review_list(request):
    contests = managed_contests(request.user).select_related("region").order_by("-year", "name")
    return render(request, "leaderboard/review_list.html", {"contests": contests})


def _review_params(request, contest):
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind") or Kind.SCHOOL
    if kind not in Kind.values:
        kind = Kind.SCHOOL
    metric = data.get("metric") or "participants"
    if metric not in METRICS:
        metric = "participants"
    try:
        top_k = max(1, min(100, int(data.get("top_k") or 5)))
    except ValueError:
        top_k = 5
    round_ids = data.getlist("rounds")
    return kind, metric, top_k, round_ids, data


@login_required
def review(request, pk):
    contest = _managed_contest(request, pk)
    kind, metric, top_k, round_ids, data = _review_params(request, contest)
    error = None
    try:
        scope = ranking_scope(contest, round_ids)
        filters = parse_filters(data, contest)
    except DomainError as exc:
        error, scope, filters = exc.message, ranking_scope(contest), parse_filters({}, contest)
    if kind == Kind.INDIVIDUAL:
        rows = individual_ranking(scope, filters)
        allocate_individual(rows, contest)
    else:
        rows = unit_ranking(scope, filters, unit=kind, metric=metric, top_k=top_k)
        allocate(rows, contest.unit_prizes or [], score=lambda r: r.metric(metric))
        decimals = tables.pct_decimals(r.participation_rate for r in rows)
        for r in rows:
            rate = None if r.participation_rate is None else r.participation_rate * 100
            r.rate_text = tables.text_of(rate, "pct", decimals)
    weak = None
    if kind in (Kind.SCHOOL, Kind.COMMUNE, Kind.CLASS, Kind.PROVINCE) and data.get("topics"):
        weak = topic_breakdown(scope, filters, unit=kind, unit_ids=[r.unit_id for r in rows[:50]])
    rounds = list(Round.objects.filter(contest=contest).order_by("opens_at", "pk"))
    return render(
        request,
        "leaderboard/review.html",
        {
            "contest": contest,
            "rounds": rounds,
            "scope": scope,
            "kind": kind,
            "metric": metric,
            "top_k": top_k,
            "legend": tables.ordering_legend(
                Publication(kind=kind, metric="" if kind == Kind.INDIVIDUAL else metric, top_k=top_k),
                single_round=scope.single,
            ),
            "filters": filters,
            "rows": rows[:500],
            "row_count": len(rows),
            "weak": weak,
            "error": error,
            "kinds": Kind.choices,
            "metrics": Metric.choices,
            "levels": Level.choices,
            "communes": Region.objects.filter(parent=contest.region).order_by("name")
            if contest.region.kind == "province"
            else Region.objects.filter(pk=contest.region_id),
            "publications": publications_of(contest)[:50],
            "review_actions": ReviewAction.choices,
            "selected_rounds": {r.pk for r in scope.rounds} if not scope.year else set(),
        },
    )


def _back(request, contest) -> str:
    return request.POST.get("next") or reverse("leaderboard:review", args=[contest.pk])


@login_required
@require_POST
def publish(request, pk):
    contest = _managed_contest(request, pk)
    kind, metric, top_k, round_ids, data = _review_params(request, contest)
    try:
        services.publish_confirmed(request.POST.get("confirmed") == "1")
        pub = services.ranking_publish(
            user=request.user,
            scope=ranking_scope(contest, round_ids),
            kind=kind,
            filters=parse_filters(data, contest),
            metric=metric,
            top_k=top_k,
            note=data.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, contest))
    messages.success(request, _("Đã công bố %(title)s (phiên bản %(v)s).") % {"title": pub.title, "v": pub.version})
    return redirect("leaderboard:publication", pk=pub.pk)


@login_required
@require_POST
def attempt_review(request, pk):
    attempt = Attempt.objects.select_related("round__contest").filter(pk=pk).first()
    if attempt is None or not manages_round(request.user, attempt.round):
        raise Http404
    try:
        services.attempt_review(
            user=request.user,
            attempt_id=attempt.pk,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Đã ghi nhận."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, attempt.round.contest))


@login_required
@require_POST
def freeze(request, pk, action):
    round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
    if not manages_round(request.user, round_):
        raise Http404
    try:
        if action == "freeze":
            services.board_freeze(user=request.user, round_=round_)
            messages.success(request, _("Đã đóng băng bảng xếp hạng của %(name)s.") % {"name": round_.name})
        else:
            services.board_unfreeze(user=request.user, round_=round_)
            messages.success(request, _("Đã mở băng bảng xếp hạng của %(name)s.") % {"name": round_.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    if round_.contest_id:
        return redirect(_back(request, round_.contest))
    return redirect("leaderboard:round_board", pk=round_.pk)


@login_required
def exports(request, pk):
    pub = _publication(pk)
    if not manages_contest(request.user, pub.contest):
        raise Http404
    if request.method == "POST":
        try:
            job = export_start(
                user=request.user, publication=pub, kind=request.POST.get("kind", ""), base_url=base_url(request)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("leaderboard:exports", pk=pub.pk)
        return redirect(reverse("leaderboard:exports", args=[pub.pk]) + f"?job={job.pk}")
    jobs = ExportJob.objects.filter(publication=pub, created_by=request.user).defer("content")[:10]
    return render(request, "leaderboard/exports.html", {"pub": pub, "jobs": jobs, "done": JobStatus.DONE})


@login_required
def export_download(request, pk):
    job = ExportJob.objects.filter(pk=pk, created_by=request.user, status=JobStatus.DONE).first()
    if job is None:
        raise Http404
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
