"""Joining, coming back, kicking and teams.

Joins arrive in batches from the per-process batcher (``live.batcher``): one transaction
inserts every new player's ``contest.Attempt`` (``contest.services.attempts_create_unowned``) and
``LivePlayer`` together, so 5,000 phones
joining at once cost a few hundred inserts per commit rather than a commit each.

Identities, and what a kick bars:
- a signed-in user joins as themselves; joining again (another tab, a reload without the
  token) returns the same player;
- in a roster game a pupil picks their name with the class code (or signs in): one player per
  pupil, and a name already in the game is refused unless its own token comes back;
- otherwise a nickname, unique in the game (case, accents and spaces ignored) and filtered.
A kicked player keeps their row, so their token, account, roster name and nickname stay refused.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.services import UnownedAttempt, attempts_create_unowned
from core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from core.realtime.events import send_on_commit
from core.realtime.protocol import Msg
from core.roles import check_scope
from live import admission, names, publish
from live.locks import lock_games
from live.models import GameMode, LiveGame, LivePlayer, Phase, TeamMode
from live.selectors import active_players_count
from schools.models import Student, StudentStatus
from schools.selectors import public_name, student_of

KICKED_MESSAGE = gettext_lazy("Bạn đã bị người dẫn mời ra khỏi trò chơi.")


@dataclass(frozen=True)
class JoinRequest:
    game_id: int
    pin: str
    client: str
    user_id: int | None = None  # the signed-in user of the socket, if any
    nickname: str | None = None
    student_id: int | None = None
    class_code: str | None = None
    team: str | None = None


@dataclass(frozen=True)
class Joined:
    player: LivePlayer
    token: str
    rejoined: bool


def player_info(player: LivePlayer) -> dict:
    return {"id": player.pk, "name": player.name, "team": player.team, "out": player.out_index is not None}


def _refused(message, code: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]} if field else None)


def _check_pin(game: LiveGame | None, request: JoinRequest) -> LiveGame:
    admission.guard(request.client)
    if game is None or not game.pin or admission.clean_pin(request.pin) != game.pin:
        admission.failed(request.client)
        raise NotFound(_("Mã PIN không đúng hoặc trò chơi đã kết thúc."), code="bad_pin")
    return game


def _identity(game: LiveGame, request: JoinRequest, users: dict, roster: dict) -> dict:
    """Who this request joins as: {"user", "student", "name", "key", "class_id", "signed_in"}.

    ``signed_in``: the socket's session is that user, so joining again is coming back; a
    roster pick (name + class code) is not proof enough for that.
    """
    user = users.get(request.user_id)
    student = student_of(user) if user is not None else None
    if game.is_roster:
        signed_in = request.student_id is None
        if not signed_in:
            if admission.clean_code(request.class_code) != game.class_code:
                admission.failed(request.client)
                raise _refused(_("Mã lớp không đúng."), "bad_class_code", "class_code")
            student = roster.get(request.student_id)
            if student is None:
                raise _refused(_("Không tìm thấy tên này trong danh sách lớp."), "not_in_roster", "student")
        elif student is None or student.pk not in roster:
            raise _refused(
                _("Hãy chọn tên của bạn trong danh sách lớp và nhập mã lớp, hoặc đăng nhập."), "pick_name", "student"
            )
        return {"user": student.user, "student": student, "name": public_name(student)[:40], "signed_in": signed_in,
                "key": f"#s{student.pk}", "class_id": student.school_class_id}  # fmt: skip
    name = names.clean_nickname(request.nickname)
    return {"user": user, "student": student, "name": name, "key": names.name_key(name), "signed_in": user is not None,
            "class_id": student.school_class_id if student else None}  # fmt: skip


def _team(game: LiveGame, request: JoinRequest, ident: dict, sizes: dict) -> str:
    if game.team_mode == TeamMode.GROUPS:
        team = min(game.teams, key=lambda t: (sizes.get(t["key"], 0), t["key"]))["key"]
        sizes[team] = sizes.get(team, 0) + 1
        return team
    if game.team_mode == TeamMode.CLASS:
        keys = {t["key"] for t in game.teams}
        own = f"c{ident['class_id']}" if ident.get("class_id") else None
        if own in keys:
            return own
        if request.team in keys:
            return request.team
        raise _refused(_("Hãy chọn lớp (đội) của bạn."), "pick_team", "team")
    return ""


def players_join_batch(requests: list[JoinRequest], *, now: datetime.datetime | None = None) -> list:
    """Join every valid request (one transaction); a ``Joined`` or a ``DomainError`` each."""
    now = now or timezone.now()
    out: list = [None] * len(requests)
    if not requests:
        return out
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        # Joins lock their games too: a join and a kick or the game's end never interleave.
        lock_games({r.game_id for r in requests})
        games = {g.pk: g for g in LiveGame.objects.select_related("round").filter(pk__in={r.game_id for r in requests})}
        user_ids = {r.user_id for r in requests if r.user_id is not None}
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
        rosters: dict[int, dict] = {}
        pending: list[tuple[int, dict, LiveGame]] = []
        for i, request in enumerate(requests):
            try:
                game = _check_pin(games.get(request.game_id), request)
                if game.phase == Phase.ENDED:
                    raise Conflict(_("Trò chơi đã kết thúc."), code="game_ended")
                if game.is_roster and game.pk not in rosters:
                    rosters[game.pk] = {
                        s.pk: s
                        for s in Student.objects.filter(
                            school_class__in=game.roster_classes.all(), status=StudentStatus.VERIFIED
                        ).select_related("user")
                    }
                pending.append((i, _identity(game, request, users, rosters.get(game.pk, {})), game))
            except DomainError as exc:
                out[i] = exc
        _insert(requests, pending, out, now)
    return out


def _insert(requests, pending, out, now) -> None:
    if not pending:
        return
    game_ids = {g.pk for _i, _ident, g in pending}
    existing = {
        (p.game_id, key): p
        for p in LivePlayer.objects.filter(game_id__in=game_ids).select_related("game")
        for key in _keys_of(p)
    }
    sizes: dict[int, dict] = {}
    for gid, team, n in (
        LivePlayer.objects.filter(game_id__in=game_ids, kicked_at__isnull=True)
        .values_list("game_id", "team")
        .annotate(n=Count("pk"))
    ):
        sizes.setdefault(gid, {})[team] = n
    new: list[tuple[int, LivePlayer, UnownedAttempt]] = []
    taken: set = set()
    for i, ident, game in pending:
        keys = _ident_keys(ident)
        found = next((existing[(game.pk, k)] for k in keys if (game.pk, k) in existing), None)
        try:
            if found is not None:
                out[i] = _rejoin(found, ident, requests[i])
                continue
            if any((game.pk, k) in taken for k in keys):
                raise _refused(_("Tên này vừa được người khác chọn."), "name_taken", "nickname")
            team = _team(game, requests[i], ident, sizes.setdefault(game.pk, {}))
        except DomainError as exc:
            out[i] = exc
            continue
        taken.update((game.pk, k) for k in keys)
        attempt = UnownedAttempt(
            round_id=game.round_id,
            student=ident["student"],
            question_order=game.question_order,
            choice_orders=game.choice_orders,
            started_at=now,
            is_demo=game.is_demo,
        )
        late_out = (
            game.question_index if game.mode == GameMode.ELIMINATION and game.phase != Phase.LOBBY else None
        )  # a late joiner in elimination watches until a rescue
        player = LivePlayer(
            game=game,
            user=ident["user"],
            student=ident["student"],
            name=ident["name"],
            name_key=ident["key"],
            team=team,
            nonce=admission.new_nonce(),
            joined_at=now,
            joined_index=game.question_index,
            out_index=late_out,
        )
        new.append((i, player, attempt))
    if not new:
        return
    try:
        with transaction.atomic():
            _bulk(new)
    except IntegrityError:
        # Another worker took one of these names (or accounts) in the same instant: insert
        # one by one so only that request fails.
        for item in new:
            try:
                with transaction.atomic():
                    _bulk([item])
            except IntegrityError:
                out[item[0]] = _refused(_("Tên này vừa được người khác chọn."), "name_taken", "nickname")
                item[1].pk = None
    for i, player, _attempt in new:
        if player.pk is not None:
            out[i] = Joined(player=player, token=admission.player_token(player), rejoined=False)
    for game_id in {p.game_id for _i, p, _a in new if p.pk is not None}:
        joined = [player_info(p) for _i, p, _a in new if p.pk is not None and p.game_id == game_id]
        game = next(p.game for _i, p, _a in new if p.game_id == game_id)
        count = active_players_count(game)
        send_on_commit(publish.screens, game_id, {"type": Msg.LIVE_LOBBY, "players": count, "joined": joined})


def _bulk(items) -> None:
    attempts = attempts_create_unowned(specs=[a for _i, _p, a in items])
    for (_i, player, _a), attempt in zip(items, attempts, strict=True):
        player.attempt = attempt
    LivePlayer.objects.bulk_create([p for _i, p, _a in items])


def _keys_of(p: LivePlayer) -> list[str]:
    keys = [f"n:{p.name_key}"]
    if p.user_id:
        keys.append(f"u:{p.user_id}")
    if p.student_id:
        keys.append(f"s:{p.student_id}")
    return keys


def _ident_keys(ident: dict) -> list[str]:
    keys = [f"n:{ident['key']}"]
    if ident["user"] is not None:
        keys.append(f"u:{ident['user'].pk}")
    if ident["student"] is not None:
        keys.append(f"s:{ident['student'].pk}")
    return keys


def _rejoin(player: LivePlayer, ident: dict, request: JoinRequest) -> Joined:
    """The same account comes back: the same player. Anything else is someone else's name."""
    if player.kicked_at is not None:
        raise Forbidden(str(KICKED_MESSAGE), code="kicked")
    same_user = ident["signed_in"] and ident["user"] is not None and player.user_id == ident["user"].pk
    if not same_user:
        if ident["student"] is not None and player.student_id == ident["student"].pk:
            raise _refused(
                _("Tên này đã vào trò chơi. Hãy dùng thiết bị đã vào, hoặc nhờ người dẫn giúp."),
                "name_in_game",
                "student",
            )
        raise _refused(_("Biệt danh này đã có người dùng. Hãy chọn tên khác."), "name_taken", "nickname")
    return Joined(player=player, token=admission.player_token(player), rejoined=True)


def player_resume(*, game_id: int, token) -> tuple[LivePlayer, dict]:
    """Come back with a token: the same player and their snapshot; ``Forbidden`` if kicked."""
    from live.selectors import player_snapshot

    data = admission.read_token(token)
    if data is None or data["g"] != game_id:
        raise NotFound(_("Phiên chơi không còn hợp lệ. Hãy vào lại bằng mã PIN."), code="bad_token")
    player = LivePlayer.objects.select_related("game__round", "attempt").filter(pk=data["p"], game_id=game_id).first()
    if player is not None and player.kicked_at is not None:
        raise Forbidden(str(KICKED_MESSAGE), code="kicked")  # the signature vouches for the id
    if player is None or player.nonce != data.get("n"):
        raise NotFound(_("Phiên chơi không còn hợp lệ. Hãy vào lại bằng mã PIN."), code="bad_token")
    return player, player_snapshot(player)


@transaction.atomic
def player_kick(*, user, game_id: int, player_id: int) -> LivePlayer:
    from live.services.flow import locked_game

    game = locked_game(game_id)
    check_scope(user, game, "manage")
    player = LivePlayer.objects.select_for_update().filter(pk=player_id, game=game).first()
    if player is None:
        raise NotFound(_("Không tìm thấy người chơi."))
    if player.kicked_at is None:
        player.kicked_at = timezone.now()
        player.nonce = admission.new_nonce()  # the old token is dead too
        player.save(update_fields=["kicked_at", "nonce"])
        count = active_players_count(game)
        send_on_commit(publish.kick, game.pk, player.pk, str(KICKED_MESSAGE))
        send_on_commit(publish.screens, game.pk, {"type": Msg.LIVE_LOBBY, "players": count, "removed": [player.pk]})
        if game.phase == Phase.QUESTION:
            index = game.question_index
            transaction.on_commit(lambda: _close_if_done(game.pk, index))
    return player


def _close_if_done(game_id: int, index: int) -> None:
    from live.services.flow import question_close_if_all_answered

    question_close_if_all_answered(game_id=game_id, index=index)


@transaction.atomic
def player_set_team(*, user, game_id: int, player_id: int, team: str) -> LivePlayer:
    from live.services.flow import locked_game

    game = locked_game(game_id)
    check_scope(user, game, "manage")
    if team not in {t["key"] for t in game.teams}:
        raise ValidationFailed(_("Đội không hợp lệ."), fields={"team": [_("Đội không hợp lệ.")]})
    player = LivePlayer.objects.filter(pk=player_id, game=game, kicked_at__isnull=True).first()
    if player is None:
        raise NotFound(_("Không tìm thấy người chơi."))
    player.team = team
    player.save(update_fields=["team"])
    send_on_commit(publish.screens, game.pk, {"type": Msg.LIVE_LOBBY, "changed": [player_info(player)]})
    return player
