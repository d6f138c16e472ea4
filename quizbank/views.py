"""Pages of the question bank: browser, editor, import. Thin: they call the same services and
selectors as the REST API, and show DomainError messages next to the fields."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from core.roles import check_scope, in_scope
from quizbank import selectors, services
from quizbank.api.imports import job_data, read_upload
from quizbank.api.questions import question_filters
from quizbank.content import clean_content
from quizbank.editor import EditorState, content_of, state_from_post, state_from_question
from quizbank.exporting import EXPORT_FORMATS
from quizbank.importing import FORMATS
from quizbank.models import Difficulty, ImportJob, Language, QType, Question, QuestionVersion, Status
from quizbank.picker import pick_page
from quizbank.presentation import student_payload
from quizbank.scope import bank_for_key, can_approve, can_edit, is_bank_user, writable_banks
from quizbank.services.workflow import TRANSITIONS

PAGE_SIZE = 25


def bank_staff(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_bank_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@bank_staff
def pick(request):
    """The question picker's list for a search or a page, as an HTML fragment: the page swaps
    it in without reloading, so its form and the ticked questions stay (quizbank/picker.py)."""
    context = {**pick_page(request.user, request.GET), "chosen": set()}
    return render(request, "quizbank/picker/_list.html", context)


def _pick_url(request) -> str:
    """A round editor's return address (``?pick=/contest/...``); only local paths count."""
    url = request.GET.get("pick", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
        return url
    return ""


@bank_staff
def bank(request):
    filters = question_filters(request.GET)
    qs = selectors.search_questions(request.user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for q in page:
        q.editable = can_edit(request.user, q)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quizbank/bank.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "topics": selectors.topic_tree(),
            "qtypes": QType.choices,
            "statuses": Status.choices,
            "difficulties": Difficulty.choices,
            "languages": Language.choices,
            "export_formats": list(EXPORT_FORMATS),
            "pick_url": _pick_url(request),
            "total": page.paginator.count,
        },
    )


@bank_staff
@require_POST
def bank_bulk(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action", "")
    value = request.POST.get("value") or None
    if action.startswith("status:"):
        action, value = "status", action.split(":", 1)[1]
    try:
        n = services.bulk_action(user=request.user, ids=ids, action=action, value=value)
        messages.success(request, _("Đã cập nhật %(n)d câu hỏi.") % {"n": n})
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    back = request.POST.get("next", "")
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None)):
        back = reverse("quizbank:bank")
    return redirect(back)


def _error_text(exc: DomainError) -> str:
    details = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join([str(exc.message), *details]) if details else str(exc.message)


def _editor(request, *, state: EditorState, question=None, errors=None, duplicate_of=None, status=200):
    transitions = []
    if question is not None:
        for (src, dst), need in TRANSITIONS.items():
            if src == question.status:
                allowed = can_approve(request.user, question) if need == "approve" else can_edit(request.user, question)
                if allowed:
                    transitions.append((dst, Status(dst).label))
    return render(
        request,
        "quizbank/editor.html",
        {
            "state": state.with_blank_rows(),
            "question": question,
            "version": question.current_version if question else None,
            "errors": errors or {},
            "duplicate_of": duplicate_of,
            "banks": writable_banks(request.user) if question is None else [],
            "topics": selectors.topic_tree(),
            "qtypes": QType.choices,
            "difficulties": Difficulty.choices,
            "languages": Language.choices,
            "transitions": transitions,
            "question_editable": question is None or can_edit(request.user, question),
            "blank_choice": {"key": "__KEY__", "text": "", "correct": False, "weight": ""},
            "preview": student_payload(question.current_version) if question is not None else None,
        },
        status=status,
    )


def _save(request, question=None):
    state = state_from_post(request.POST)
    kwargs = {
        "content": content_of(state),
        "topics": state.topics,
        "tags": state.tags,
        "shared_with_school": state.shared_with_school,
        "image": request.FILES.get("image"),
        "allow_duplicate": bool(request.POST.get("allow_duplicate")),
    }
    try:
        if question is None:
            question = services.question_create(
                user=request.user, bank=bank_for_key(request.user, state.bank), **kwargs
            )
            messages.success(request, _("Đã tạo câu hỏi #%(id)d.") % {"id": question.pk})
        else:
            before = question.current_version_id
            question = services.question_update(
                user=request.user, question=question, clear_image=bool(request.POST.get("clear_image")), **kwargs
            )
            if question.current_version_id != before:
                messages.success(request, _("Đã lưu thành phiên bản mới; các vòng thi cũ giữ phiên bản đã dùng."))
            else:
                messages.success(request, _("Đã lưu câu hỏi."))
    except DomainError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
        if not errors:
            errors["general"] = [str(exc.message)]
        dup_id = getattr(exc, "duplicate_of", None)
        return _editor(request, state=state, question=question, errors=errors, duplicate_of=dup_id, status=400)
    return redirect("quizbank:edit", pk=question.pk)


@bank_staff
@require_POST
def question_preview(request):
    """The editor's live preview: the posted form as a student will see it, nothing saved.

    Content that is not valid yet (no correct choice ticked, say) is still shown, with the
    first problem as a ``warning``, so the preview follows the typing from the first key.
    """
    raw = content_of(state_from_post(request.POST))
    warning = ""
    try:
        content = clean_content(raw)
    except DomainError as exc:
        messages_ = [str(m) for msgs in exc.fields.values() for m in msgs]
        warning = messages_[0] if messages_ else str(exc.message)
        choices = [
            {"id": f"p{i}", "text": str(c.get("text") or "")} for i, c in enumerate(raw["choices"]) if c.get("text")
        ]
        content = {
            "qtype": raw["qtype"],
            "stem": str(raw["stem"] or ""),
            "choices": choices,
            "language": raw["language"],
        }
        if raw["qtype"] not in QType.values:
            content["qtype"] = "single"
    payload = student_payload(QuestionVersion(**content))
    payload["warning"] = warning
    return JsonResponse(payload)


@bank_staff
def question_new(request):
    if request.method == "POST":
        return _save(request)
    return _editor(request, state=EditorState())


def _question(request, pk, action="view") -> Question:
    question = get_object_or_404(Question.objects.select_related("current_version"), pk=pk)
    check_scope(request.user, question, "view")
    if action != "view" and not in_scope(request.user, question, action):
        raise PermissionDenied
    return question


@bank_staff
def question_edit(request, pk):
    question = _question(request, pk)
    if request.method == "POST":
        if not can_edit(request.user, question):
            raise PermissionDenied
        return _save(request, question)
    return _editor(request, state=state_from_question(question), question=question)


@bank_staff
@require_POST
def question_status(request, pk):
    question = _question(request, pk)
    try:
        services.question_set_status(user=request.user, question=question, status=request.POST.get("status", ""))
        question.refresh_from_db()
        messages.success(request, _("Trạng thái mới: %(s)s.") % {"s": question.get_status_display()})
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("quizbank:edit", pk=pk)


@bank_staff
@require_POST
def question_delete(request, pk):
    question = _question(request, pk, "change")
    try:
        services.question_delete(user=request.user, question=question)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("quizbank:edit", pk=pk)
    messages.success(request, _("Đã xoá câu hỏi #%(id)d.") % {"id": pk})
    return redirect("quizbank:bank")


@bank_staff
@require_POST
def question_copy(request, pk):
    question = _question(request, pk)
    try:
        copy = services.question_copy(user=request.user, question=question, bank=bank_for_key(request.user, "mine"))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("quizbank:edit", pk=pk)
    messages.success(request, _("Đã sao chép vào ngân hàng của bạn: #%(id)d.") % {"id": copy.pk})
    return redirect("quizbank:edit", pk=copy.pk)


@bank_staff
@require_POST
def question_propose(request, pk):
    question = _question(request, pk, "change")
    try:
        copy = services.question_propose_official(user=request.user, question=question)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("quizbank:edit", pk=pk)
    messages.success(
        request, _("Đã gửi đề xuất #%(id)d tới Ban tổ chức để duyệt vào ngân hàng chính thức.") % {"id": copy.pk}
    )
    return redirect("quizbank:edit", pk=pk)


@bank_staff
def import_upload(request):
    """The upload form. With JavaScript the file goes to the REST endpoint (with a progress
    bar); without, it is posted here. Both end on the preview page."""
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            job = services.import_preview(
                user=request.user,
                data=read_upload(upload),
                filename=upload.name,
                bank=bank_for_key(request.user, request.POST.get("bank", "mine")),
                fmt=request.POST.get("format", "auto"),
                status=request.POST.get("status", "draft"),
            )
            return redirect("quizbank:import-detail", pk=job.pk)
        except DomainError as exc:
            error = _error_text(exc)
    return render(request, "quizbank/import.html", _import_context(request, error=error), status=400 if error else 200)


def _import_context(request, **extra) -> dict:
    return {
        "banks": writable_banks(request.user),
        "formats": FORMATS,
        "statuses": [(s, Status(s).label) for s in ("draft", "review", "approved")],
        **extra,
    }


@bank_staff
def import_detail(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    data = job_data(job)
    topic_names = {t.pk: t.name for t, _depth in selectors.topic_tree()}
    for item in data["items"]:
        item["topic_names"] = [topic_names.get(t, "") for t in item["topics"]]
    owner = {"official": "official", "school": "school"}.get(job.owner_kind, "mine")
    return render(request, "quizbank/import_detail.html", _import_context(request, job=job, data=data, owner=owner))


@bank_staff
@require_POST
def import_confirm(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    try:
        services.import_confirm(
            user=request.user, job=job, include_duplicates=bool(request.POST.get("include_duplicates"))
        )
    except (DomainError, NotFound) as exc:
        messages.error(request, _error_text(exc))
    return redirect("quizbank:import-detail", pk=pk)


@bank_staff
@require_POST
def import_cancel(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    services.import_cancel(user=request.user, job=job)
    messages.info(request, _("Đã huỷ lần nhập này; không câu hỏi nào được lưu."))
    return redirect("quizbank:import")
