"""Organisers' writes: contests, rounds and their questions.

Validation lives here (not in forms or serializers), so the pages and the API share it. Each
rule failure names its field in ``ValidationFailed.fields``.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from contest.models import (
    AttemptsPolicy,
    Contest,
    PredictionKind,
    Reveal,
    Round,
    RoundMode,
    RoundQuestion,
    Selection,
    Tiebreak,
)
from contest.models.contests import national_digital_transformation_day
from contest.policies import key_waits_for_close
from contest.scope import manages_contest, manages_round
from contest.scoring import get_format
from core import pagecache
from core.errors import Conflict, FieldErrors, Forbidden, ValidationFailed
from core.roles import Role, has_role
from quizbank.models import Difficulty, Question, Status, Topic
from quizbank.selectors import visible_questions
from quizbank.services import version_for_round
from schools.models import Level, Region, School
from schools.selectors import user_manages_region, user_manages_school

MAX_QUESTIONS = 200
MAX_DURATION_S = 24 * 3600


def _clean_tiers(value, field: str, errors: FieldErrors) -> list[dict]:
    if not isinstance(value, list):
        errors.add(field, _("Danh sách giải không hợp lệ."))
        return []
    out = []
    for tier in value:
        name = str(tier.get("name", "")).strip() if isinstance(tier, dict) else ""
        count = tier.get("count") if isinstance(tier, dict) else None
        if not name or isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 10000:
            errors.add(field, _("Mỗi giải cần tên và số lượng (0-10.000)."))
            continue
        out.append({"name": name[:80], "count": count})
    if len({t["name"] for t in out}) != len(out):
        errors.add(field, _("Tên các giải không được trùng nhau."))
    return out


MAX_MIN_SCORE = 100000
# The official-paper fields and their lengths (the model's).
PAPER_FIELDS = {"organiser_name": 200, "issue_place": 100, "signer_title": 150, "signer_name": 150}


def _clean_min_score(value, errors: FieldErrors) -> float | None:
    """The least score that wins an individual prize: blank, or a number from 0 to 100.000."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        errors.add("prize_min_score", _("Điểm tối thiểu phải là một số."))
        return None
    if not 0 <= value <= MAX_MIN_SCORE:
        errors.add("prize_min_score", _("Điểm tối thiểu phải từ 0 đến 100.000."))
        return None
    return float(value)


def clean_contest(values: dict) -> dict:
    errors = FieldErrors()
    out = dict(values)
    out["name"] = str(values.get("name", "")).strip()
    if not out["name"]:
        errors.add("name", _("Bắt buộc."))
    year = values.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.add("year", _("Năm phải từ 2000 đến 2100."))
    if not isinstance(values.get("region"), Region):
        errors.add("region", _("Chọn tỉnh/thành phố hoặc xã/phường."))
    levels = values.get("levels") or []
    if not isinstance(levels, list) or any(level not in Level.values for level in levels):
        errors.add("levels", _("Cấp học không hợp lệ."))
    grades = values.get("grades") or []
    if not isinstance(grades, list) or any(
        isinstance(g, bool) or not isinstance(g, int) or not 1 <= g <= 12 for g in grades
    ):
        errors.add("grades", _("Khối lớp phải từ 1 đến 12."))
    out["levels"], out["grades"] = (
        sorted(set(levels)) if isinstance(levels, list) else [],
        sorted(set(grades)) if isinstance(grades, list) else [],
    )
    out["individual_prizes"] = _clean_tiers(values.get("individual_prizes") or [], "individual_prizes", errors)
    out["unit_prizes"] = _clean_tiers(values.get("unit_prizes") or [], "unit_prizes", errors)
    points = values.get("prize_points") or {}
    if not isinstance(points, dict) or any(
        isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in points.values()
    ):
        errors.add("prize_points", _("Điểm quy đổi phải là số không âm cho từng giải."))
    out["prize_points"] = points if isinstance(points, dict) else {}
    out["prize_min_score"] = _clean_min_score(values.get("prize_min_score"), errors)
    for field, limit in PAPER_FIELDS.items():
        text = " ".join(str(values.get(field) or "").split())
        if len(text) > limit:
            errors.add(field, _("Tối đa %(max)s ký tự.") % {"max": limit})
        out[field] = text
    out["rules"] = str(values.get("rules") or "")
    out["tiebreak"] = values.get("tiebreak") or Tiebreak.PREDICTION
    if out["tiebreak"] not in Tiebreak.values:
        errors.add("tiebreak", _("Cách xếp hạng chung không hợp lệ."))
    if values.get("opens_at") is not None and not isinstance(values["opens_at"], datetime.datetime):
        errors.add("opens_at", _("Thời điểm không hợp lệ."))
    errors.raise_if_any()
    return out


_CONTEST_FIELDS = (
    "name",
    "year",
    "region",
    "levels",
    "grades",
    "rules",
    "individual_prizes",
    "unit_prizes",
    "prize_points",
    "prize_min_score",
    "opens_at",
    "tiebreak",
    *PAPER_FIELDS,
    "force_password_change",
)
# Fields that may be cleared (set back to None) by an update.
_NULLABLE = ("prize_min_score",)


@transaction.atomic
def contest_create(*, user, **values) -> Contest:
    if not has_role(user, Role.ORGANISER):
        raise Forbidden()
    data = clean_contest(values)
    if not user_manages_region(user, data["region"]):
        raise ValidationFailed(_("Bạn không quản lý địa bàn này."), fields={"region": [_("Ngoài phạm vi của bạn.")]})
    fields = {k: data[k] for k in _CONTEST_FIELDS if k in data and data[k] is not None}
    # Opening on National Digital Transformation Day (10 October) of the contest's year.
    fields.setdefault("opens_at", national_digital_transformation_day(data["year"]))
    pagecache.bump_on_commit(pagecache.ROUNDS)
    return Contest.objects.create(created_by=user, **fields)


@transaction.atomic
def contest_update(*, user, contest: Contest, **values) -> Contest:
    if not manages_contest(user, contest):
        raise Forbidden()
    current = {k: getattr(contest, k) for k in _CONTEST_FIELDS}
    data = clean_contest({**current, **values})
    if data["region"] != contest.region and not user_manages_region(user, data["region"]):
        raise ValidationFailed(_("Bạn không quản lý địa bàn này."), fields={"region": [_("Ngoài phạm vi của bạn.")]})
    for key in _CONTEST_FIELDS:
        if data.get(key) is not None or key in _NULLABLE:
            setattr(contest, key, data[key])
    contest.save()
    # Its region, grades and levels decide whose round lists show its rounds.
    pagecache.bump_on_commit(pagecache.ROUNDS)
    return contest


# --- rounds -------------------------------------------------------------------------------
ROUND_FIELDS = (
    "name", "mode", "opens_at", "closes_at", "duration_s", "attempts_policy", "max_attempts", "selection",
    "draw_spec", "draw_language", "shuffle_questions", "shuffle_choices", "scoring_format", "scoring_config",
    "reveal_during", "reveal_after_attempt", "reveal_after_close", "prediction_kind", "prediction_question", "practice",
    "board_freeze_at",
)  # fmt: skip
# Changing these after the first attempt would give students different papers or clocks.
LOCKED_ONCE_STARTED = (
    "mode", "opens_at", "duration_s", "selection", "draw_spec", "draw_language", "shuffle_questions",
    "shuffle_choices", "practice",
)  # fmt: skip
RESCORE_FIELDS = ("scoring_format", "scoring_config")


def clean_draw_spec(spec, errors: FieldErrors) -> list[dict]:
    if not isinstance(spec, list) or not spec:
        errors.add("draw_spec", _("Cần ít nhất một quy tắc bốc câu hỏi."))
        return []
    known = set(Topic.objects.values_list("slug", flat=True))
    out, total = [], 0
    for row in spec:
        if not isinstance(row, dict):
            errors.add("draw_spec", _("Quy tắc bốc câu hỏi không hợp lệ."))
            continue
        topics = row.get("topics") or []
        difficulty = row.get("difficulty") or None
        count = row.get("count")
        if not isinstance(topics, list) or any(t not in known for t in topics):
            errors.add("draw_spec", _("Chủ đề không tồn tại."))
            continue
        if difficulty is not None and difficulty not in Difficulty.values:
            errors.add("draw_spec", _("Độ khó phải là 1, 2 hoặc 3."))
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_QUESTIONS:
            errors.add("draw_spec", _("Số câu của mỗi quy tắc phải từ 1 đến %(max)s.") % {"max": MAX_QUESTIONS})
            continue
        total += count
        out.append({"topics": sorted(topics), "difficulty": difficulty, "count": count})
    if total > MAX_QUESTIONS:
        errors.add("draw_spec", _("Tổng số câu không được quá %(max)s.") % {"max": MAX_QUESTIONS})
    return out


def clean_round(values: dict) -> dict:
    """Validate a complete set of round values; returns them normalised."""
    errors = FieldErrors()
    out = dict(values)
    out["name"] = str(values.get("name") or "").strip()[:200]
    if not out["name"]:
        errors.add("name", _("Bắt buộc."))
    if values.get("mode", RoundMode.WINDOW) not in RoundMode.values:
        errors.add("mode", _("Hình thức không hợp lệ."))
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if values.get("mode", RoundMode.WINDOW) == RoundMode.WINDOW:
        if not isinstance(opens, datetime.datetime):
            errors.add("opens_at", _("Bắt buộc."))
        if not isinstance(closes, datetime.datetime):
            errors.add("closes_at", _("Bắt buộc."))
        elif isinstance(opens, datetime.datetime) and closes <= opens:
            errors.add("closes_at", _("Thời điểm đóng phải sau thời điểm mở."))
    duration = values.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, int) or not 10 <= duration <= MAX_DURATION_S:
        errors.add("duration_s", _("Thời gian làm bài phải từ 10 giây đến 24 giờ."))
    policy = values.get("attempts_policy")
    if policy not in AttemptsPolicy.values:
        errors.add("attempts_policy", _("Chính sách lượt thi không hợp lệ."))
    max_attempts = values.get("max_attempts")
    if policy == AttemptsPolicy.MAX_N:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or not 1 <= max_attempts <= 100:
            errors.add("max_attempts", _("Số lượt tối đa phải từ 1 đến 100."))
    else:
        out["max_attempts"] = None
    if values.get("selection") not in Selection.values:
        errors.add("selection", _("Cách chọn câu hỏi không hợp lệ."))
    elif values["selection"] == Selection.RANDOM:
        out["draw_spec"] = clean_draw_spec(values.get("draw_spec"), errors)
    else:
        out["draw_spec"] = []
    if values.get("draw_language") not in ("", "vi", "en", None):
        errors.add("draw_language", _("Ngôn ngữ không hợp lệ."))
    out["draw_language"] = values.get("draw_language") or ""
    try:
        fmt = get_format(str(values.get("scoring_format") or ""))
        out["scoring_config"] = fmt.validate(values.get("scoring_config") or {})
    except ValidationFailed as exc:
        for field, messages in exc.fields.items():
            for message in messages:
                errors.add("scoring_config" if field != "scoring_format" else field, message)
    levels = [values.get(k) for k in ("reveal_during", "reveal_after_attempt", "reveal_after_close")]
    if any(level not in Reveal.values for level in levels):
        errors.add("reveal_during", _("Mức hiển thị không hợp lệ."))
    elif not levels[0] <= levels[1] <= levels[2]:
        errors.add("reveal_after_close", _("Mỗi giai đoạn sau phải cho xem ít nhất bằng giai đoạn trước."))
    elif levels[1] >= Reveal.ANSWERS and key_waits_for_close(
        Round(attempts_policy=policy, max_attempts=out.get("max_attempts"), practice=bool(values.get("practice")))
    ):
        # The key after a first attempt would score the next one in full.
        errors.add(
            "reveal_after_attempt",
            _("Vòng thi cho làm nhiều lượt: đáp án chỉ được hiện sau khi vòng thi đóng."),
        )
    if values.get("prediction_kind", "") not in PredictionKind.values:
        errors.add("prediction_kind", _("Câu hỏi dự đoán không hợp lệ."))
    elif values.get("prediction_kind") == PredictionKind.QUESTION:
        n = values.get("prediction_question")
        if values.get("selection", Selection.FIXED) != Selection.FIXED:
            errors.add("prediction_kind", _("Câu hỏi dự đoán về một câu chỉ dùng được với danh sách câu hỏi cố định."))
        elif isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 500:
            errors.add("prediction_question", _("Chọn số thứ tự của câu hỏi trong danh sách của vòng (từ 1)."))
    else:
        out["prediction_question"] = None
    freeze = values.get("board_freeze_at")
    if freeze is not None and isinstance(closes, datetime.datetime) and not opens <= freeze <= closes:
        errors.add("board_freeze_at", _("Thời điểm đóng băng phải nằm trong thời gian mở vòng thi."))
    errors.raise_if_any()
    return out


_ROUND_DEFAULTS = {f.name: f.get_default() for f in Round._meta.fields if f.name in ROUND_FIELDS}


@transaction.atomic
def round_create(*, user, contest: Contest | None = None, school: School | None = None, **values) -> Round:
    """Create a round of ``contest``, or a standalone round of ``school`` (a class game)."""
    if contest is not None:
        if not manages_contest(user, contest):
            raise Forbidden()
    elif school is None or not (
        has_role(user, Role.TEACHER, Role.COORDINATOR, Role.ORGANISER) and user_manages_school(user, school)
    ):
        raise Forbidden()
    data = clean_round({**_ROUND_DEFAULTS, **values})
    fields = {k: data[k] for k in ROUND_FIELDS}
    pagecache.bump_on_commit(pagecache.ROUNDS)
    return Round.objects.create(contest=contest, school=school if contest is None else None, owner=user, **fields)


@transaction.atomic
def round_update(*, user, round_: Round, **values) -> Round:
    """Change a round. Once an attempt exists, what shapes the paper and the clock is locked;
    a change of scoring re-scores the stored answers."""
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_.pk)
    if not manages_round(user, round_):
        raise Forbidden()
    current = {k: getattr(round_, k) for k in ROUND_FIELDS}
    data = clean_round({**current, **values})
    started = round_.attempts.exists()
    if started:
        changed = [k for k in LOCKED_ONCE_STARTED if data[k] != current[k]]
        if changed:
            raise Conflict(
                _("Vòng thi đã có người làm bài: không thể đổi đề, thời gian làm bài hay giờ mở."),
                code="round_started",
                fields={k: [_("Không thể thay đổi sau khi đã có lượt thi.")] for k in changed},
            )
    if round_.finalized_at is not None and data["closes_at"] != current["closes_at"]:
        raise Conflict(_("Vòng thi đã kết thúc và có kết quả."), code="round_finalized")
    for key in ROUND_FIELDS:
        setattr(round_, key, data[key])
    round_.save()
    pagecache.bump_on_commit(pagecache.ROUNDS)
    if started and any(data[k] != current[k] for k in RESCORE_FIELDS):
        from contest.services.standings import rescore_round

        rescore_round(round_id=round_.pk)
    return round_


@transaction.atomic
def round_set_questions(*, user, round_: Round, question_ids: list[int]) -> list[RoundQuestion]:
    """Set the fixed question list, in order. Each question's current version is taken (and
    marked used, so later edits make new versions). Only before the first attempt."""
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_.pk)
    if not manages_round(user, round_):
        raise Forbidden()
    if round_.attempts.exists():
        raise Conflict(_("Vòng thi đã có người làm bài: không thể đổi đề."), code="round_started")
    if not isinstance(question_ids, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in question_ids):
        raise ValidationFailed(
            _("Danh sách câu hỏi không hợp lệ."), fields={"questions": [_("Danh sách câu hỏi không hợp lệ.")]}
        )
    if len(set(question_ids)) != len(question_ids):
        raise ValidationFailed(
            _("Một câu hỏi được chọn hai lần."), fields={"questions": [_("Một câu hỏi được chọn hai lần.")]}
        )
    if len(question_ids) > MAX_QUESTIONS:
        raise ValidationFailed(
            _("Tối đa %(max)s câu hỏi.") % {"max": MAX_QUESTIONS}, fields={"questions": [_("Quá nhiều câu hỏi.")]}
        )
    # Contest rounds take the official bank's approved questions; class games what the teacher sees.
    pool = visible_questions(user).filter(status=Status.APPROVED, current_version__isnull=False)
    if round_.contest_id is not None:
        pool = pool.filter(owner_kind="official")
    found = {q.pk: q for q in pool.filter(pk__in=question_ids)}
    missing = [i for i in question_ids if i not in found]
    if missing:
        raise ValidationFailed(
            _("Câu hỏi không tồn tại, chưa được duyệt hoặc ngoài ngân hàng được phép: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in missing)},
            fields={"questions": [_("Có câu hỏi không dùng được.")]},
        )
    round_.round_questions.all().delete()
    rows = [
        RoundQuestion(round=round_, question_version=version_for_round(found[qid]), position=pos)
        for pos, qid in enumerate(question_ids, start=1)
    ]
    return RoundQuestion.objects.bulk_create(rows)


def questions_of(round_: Round) -> list[Question]:
    return [rq.question_version.question for rq in round_.round_questions.select_related("question_version__question")]
