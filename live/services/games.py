"""Setting up a live game: its round (contest's tables and services) and the session.

A game is a ``contest.Round`` in mode "live" (questions taken through
``contest.services.round_set_questions``, so each keeps the version it was asked in) plus one
``LiveGame`` holding the PIN and the state machine. Hosting a round again after its game has
ended copies the round, so each session keeps its own attempts and results.
"""

import random

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.models import Reveal, Round, RoundMode
from contest.scope import manages_round
from contest.services import round_create, round_set_questions
from contest.services.attempts import choice_order
from core import pagecache
from core.errors import Conflict, FieldErrors, Forbidden, ValidationFailed
from live import admission
from live.models import MODE_FORMAT, GameMode, LiveGame, TeamMode
from schools.models import SchoolClass
from schools.selectors import user_manages_class

MIN_LIMIT_S, MAX_LIMIT_S = 3, 600
MAX_AUTO_S = 120
MAX_RESCUES = 10
MAX_QUESTIONS = 100
MIN_TEAMS, MAX_TEAMS = 2, 8
GROUP_NAMES = [
    gettext_lazy("Đội Đỏ"), gettext_lazy("Đội Xanh dương"), gettext_lazy("Đội Vàng"), gettext_lazy("Đội Xanh lá"),
    gettext_lazy("Đội Tím"), gettext_lazy("Đội Cam"), gettext_lazy("Đội Hồng"), gettext_lazy("Đội Nâu"),
]  # fmt: skip
FORMAT_MODE = {fmt: mode for mode, fmt in MODE_FORMAT.items()}


def _int_in(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def clean_options(user, school, values: dict) -> dict:
    """Validate the session options; raises ``ValidationFailed`` naming each bad field."""
    errors = FieldErrors()
    out = {}
    mode = values.get("mode", GameMode.CLASSIC)
    if mode not in GameMode.values:
        errors.add("mode", _("Kiểu chơi không hợp lệ."))
    out["mode"] = mode
    team_mode = values.get("team_mode") or ""
    if team_mode not in TeamMode.values:
        errors.add("team_mode", _("Cách chia đội không hợp lệ."))
    limit = values.get("time_limit_s", 20)
    if not _int_in(limit, MIN_LIMIT_S, MAX_LIMIT_S):
        errors.add(
            "time_limit_s", _("Thời gian mỗi câu phải từ %(a)s đến %(b)s giây.") % {"a": MIN_LIMIT_S, "b": MAX_LIMIT_S}
        )
    auto = values.get("auto_advance_s", 0)
    if not _int_in(auto, 0, MAX_AUTO_S):
        errors.add("auto_advance_s", _("Thời gian tự chuyển tiếp phải từ 0 đến %(b)s giây.") % {"b": MAX_AUTO_S})
    rescues = values.get("rescues", 1)
    if not _int_in(rescues, 0, MAX_RESCUES):
        errors.add("rescues", _("Số lần cứu trợ phải từ 0 đến %(b)s.") % {"b": MAX_RESCUES})
    roster = _classes(user, school, values.get("roster_classes") or [], "roster_classes", errors)
    teams: list[dict] = []
    if team_mode == TeamMode.CLASS:
        team_classes = _classes(user, school, values.get("team_classes") or [], "team_classes", errors) or roster
        if len(team_classes) < MIN_TEAMS:
            errors.add("team_classes", _("Thi đấu theo lớp cần ít nhất hai lớp."))
        teams = [{"key": f"c{c.pk}", "name": c.name} for c in team_classes]
    elif team_mode == TeamMode.GROUPS:
        count = values.get("team_count", 2)
        if not _int_in(count, MIN_TEAMS, MAX_TEAMS):
            errors.add("team_count", _("Số nhóm phải từ %(a)s đến %(b)s.") % {"a": MIN_TEAMS, "b": MAX_TEAMS})
            count = MIN_TEAMS
        teams = [{"key": f"g{i + 1}", "name": str(GROUP_NAMES[i])} for i in range(count)]
    errors.raise_if_any()
    out.update(
        team_mode=team_mode, teams=teams, roster=roster, time_limit_s=limit, auto_advance_s=auto, rescues=rescues,
        shuffle_questions=bool(values.get("shuffle_questions", False)),
        shuffle_choices=bool(values.get("shuffle_choices", True)),
    )  # fmt: skip
    return out


def _classes(user, school, ids, field: str, errors: FieldErrors) -> list[SchoolClass]:
    if not isinstance(ids, (list, tuple)) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        errors.add(field, _("Danh sách lớp không hợp lệ."))
        return []
    found = {c.pk: c for c in SchoolClass.objects.filter(pk__in=ids, school=school).select_related("school")}
    bad = [i for i in ids if i not in found or not user_manages_class(user, found[i])]
    if bad:
        errors.add(field, _("Có lớp không thuộc phạm vi của bạn."))
    return [found[i] for i in dict.fromkeys(ids) if i in found and i not in bad]


@transaction.atomic
def game_create(*, user, school, name: str, question_ids: list[int], **options) -> LiveGame:
    """Create a live round with these questions and open its game (lobby, PIN)."""
    if school is None:
        raise ValidationFailed(_("Chọn trường."), fields={"school": [_("Bắt buộc.")]})
    if not isinstance(question_ids, list) or not 1 <= len(question_ids) <= MAX_QUESTIONS:
        raise ValidationFailed(
            _("Chọn từ 1 đến %(n)s câu hỏi.") % {"n": MAX_QUESTIONS},
            fields={"questions": [_("Chọn từ 1 đến %(n)s câu hỏi.") % {"n": MAX_QUESTIONS}]},
        )
    opts = clean_options(user, school, options)
    round_ = round_create(
        user=user,
        school=school,
        name=name,
        mode=RoundMode.LIVE,
        duration_s=max(10, opts["time_limit_s"]),
        selection="fixed",
        shuffle_questions=False,
        shuffle_choices=False,
        scoring_format=MODE_FORMAT[opts["mode"]],
        scoring_config={},
        reveal_during=Reveal.NOTHING,
        reveal_after_attempt=Reveal.EXPLANATIONS,
        reveal_after_close=Reveal.EXPLANATIONS,
    )
    round_set_questions(user=user, round_=round_, question_ids=question_ids)
    return _open(user=user, round_=round_, opts=opts)


@transaction.atomic
def game_open(*, user, round_: Round, **options) -> LiveGame:
    """Open a game for a live round (the demo's, or one hosted before: then a copy)."""
    if not manages_round(user, round_):
        raise Forbidden()
    if round_.mode != RoundMode.LIVE:
        raise Conflict(_("Vòng thi này không phải trò chơi trực tiếp."), code="wrong_mode")
    if round_.school_id is None:
        raise Conflict(_("Chỉ trò chơi của một trường mới mở được ở đây."), code="no_school")
    options.setdefault("mode", FORMAT_MODE.get(round_.scoring_format, GameMode.CLASSIC))
    options.setdefault("time_limit_s", min(max(MIN_LIMIT_S, round_.duration_s), MAX_LIMIT_S))
    opts = clean_options(user, round_.school, options)
    existing = LiveGame.objects.filter(round=round_).first()
    if existing is not None:
        if existing.phase != "ended":
            return existing
        question_ids = [
            rq.question_version.question_id for rq in round_.round_questions.select_related("question_version")
        ]
        round_ = round_create(
            user=user,
            school=round_.school,
            name=round_.name,
            mode=RoundMode.LIVE,
            duration_s=round_.duration_s,
            selection="fixed",
            shuffle_questions=False,
            shuffle_choices=False,
            scoring_format=MODE_FORMAT[opts["mode"]],
            scoring_config=round_.scoring_config if round_.scoring_format == MODE_FORMAT[opts["mode"]] else {},
            reveal_during=Reveal.NOTHING,
            reveal_after_attempt=Reveal.EXPLANATIONS,
            reveal_after_close=Reveal.EXPLANATIONS,
        )
        round_set_questions(user=user, round_=round_, question_ids=question_ids)
    elif round_.scoring_format != MODE_FORMAT[opts["mode"]]:
        round_.scoring_format, round_.scoring_config = MODE_FORMAT[opts["mode"]], {}
        round_.save(update_fields=["scoring_format", "scoring_config"])
        pagecache.bump_on_commit(pagecache.ROUNDS)
    return _open(user=user, round_=round_, opts=opts)


def _open(*, user, round_: Round, opts: dict) -> LiveGame:
    versions = [rq.question_version for rq in round_.round_questions.select_related("question_version")]
    if not versions:
        raise Conflict(_("Trò chơi chưa có câu hỏi."), code="no_questions")
    rng = random.Random()
    if opts["shuffle_questions"]:
        rng.shuffle(versions)
    orders = {}
    for version in versions:
        order = choice_order(version, rng, opts["shuffle_choices"])
        if order is not None:
            orders[str(version.pk)] = order
    game = LiveGame(
        round=round_,
        host=user,
        mode=opts["mode"],
        team_mode=opts["team_mode"],
        teams=opts["teams"],
        class_code=admission.new_class_code() if opts["roster"] else "",
        question_order=[v.pk for v in versions],
        choice_orders=orders,
        time_limit_s=opts["time_limit_s"],
        auto_advance_s=opts["auto_advance_s"],
        rescues_allowed=opts["rescues"],
        is_demo=round_.is_demo,
    )
    for _try in range(20):
        game.pin = admission.new_pin()
        try:
            with transaction.atomic():
                game.save()
            break
        except IntegrityError:
            game.pk = None  # the PIN is in use by a running game: draw another
    else:  # pragma: no cover - 20 collisions in a 10-million space
        raise Conflict(_("Không tạo được mã PIN, vui lòng thử lại."), code="retry")
    if opts["roster"]:
        game.roster_classes.set(opts["roster"])
    return game
