"""The state machine of a live game and its transitions.

    lobby -> question 0 -> results -> leaderboard -> question 1 -> ... -> results -> ended

A question closes at its deadline (plus ``LIVE_ANSWER_GRACE`` for answers on their way), or as soon
as every player still in the game has answered, or when the host skips it or ends the game.
Results and leaderboards wait for the host, unless the game advances by itself
(``auto_advance_s``). Every transition:

- runs in one transaction holding the game row lock (``select_for_update``; on SQLite the
  write lock), checks the state it was computed for (``LiveGame.version``) and bumps it, so a
  deadline seen by several worker clocks, or a host click racing the clock, moves the game once;
- stores what it computed (the question's results, the standings) before anyone sees it;
- publishes the new ``live.state`` once, after the commit (``live.publish``), plus at a close
  one small ``live.you`` per player with their own points and rank.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import hooks
from contest.models import Attempt, Round
from contest.policies import LIVE_ANSWER_GRACE, answers_close_at
from contest.services import attempts_set_totals, round_close_ranked
from contest.versions import versions_by_id
from core.errors import Conflict, NotFound
from core.realtime.events import send_on_commit
from core.realtime.protocol import now_ms
from core.roles import check_scope
from live import frames, publish, standings
from live.locks import lock_games
from live.models import GameMode, LiveGame, LivePlayer, LiveQuestion, Phase
from live.selectors import active_players_count, game_players, standings_input


def ms_of(dt: datetime.datetime) -> int:
    return int(dt.timestamp() * 1000)


def phase_deadline(game: LiveGame, *, now: datetime.datetime, question: LiveQuestion | None = None):
    """When the clock moves the game on from its current phase (``LiveGame.phase_deadline``).

    An open question (``question``, not paused): its deadline plus ``LIVE_ANSWER_GRACE``, the
    last instant an answer still counts. Results and leaderboards: ``auto_advance_s`` after
    ``now`` when the game advances by itself, else never (the host moves it).
    """
    if game.phase == Phase.QUESTION:
        return answers_close_at(question.deadline, grace=LIVE_ANSWER_GRACE) if not game.paused else None
    if game.phase in (Phase.RESULTS, Phase.LEADERBOARD) and game.auto_advance_s:
        return now + datetime.timedelta(seconds=game.auto_advance_s)
    return None


def locked_game(game_id: int) -> LiveGame:
    """The game, locked until the transaction ends. Call inside ``transaction.atomic``."""
    lock_games([game_id])
    game = LiveGame.objects.filter(pk=game_id).first()
    if game is None:
        raise NotFound(_("Không tìm thấy trò chơi."))
    game.round = Round.objects.get(pk=game.round_id)
    return game


def host_game(user, game_id: int) -> LiveGame:
    game = locked_game(game_id)
    check_scope(user, game, "manage")
    return game


def current_question(game: LiveGame) -> LiveQuestion | None:
    if game.question_index < 0:
        return None
    return LiveQuestion.objects.select_related("question_version").filter(game=game, index=game.question_index).first()


def commit(
    game: LiveGame, question: LiveQuestion | None, *, personal: dict | None = None, followers: list = ()
) -> None:
    """Bump the version, save, and publish the new state after the commit; then tell
    ``contest.hooks`` about ``followers`` (attempts whose standing changed), so a board that
    follows them never delays the game's own message."""
    game.version += 1
    game.save()
    players = active_players_count(game)
    alive = active_players_count(game, alive=True) if game.mode == GameMode.ELIMINATION else None
    payload = frames.state_payload(game, question=question, players=players, alive=alive)
    payload["rescues_used"] = game.rescues_used
    payload["rescues_allowed"] = game.rescues_allowed
    game_id, index = game.pk, game.question_index

    def send():
        payload["server_now"] = now_ms()
        publish.state(game_id, payload)
        if personal:
            publish.personal(game_id, index, personal)

    send_on_commit(send)
    hooks.attempts_changed(followers)  # also after the commit, after ``send``


def _limit_ms(game: LiveGame, version) -> int:
    return int((version.time_limit_s or game.time_limit_s) * 1000)


def _open_question(game: LiveGame, index: int, now: datetime.datetime) -> LiveQuestion:
    version = versions_by_id([game.question_order[index]])[game.question_order[index]]
    limit = _limit_ms(game, version)
    question = LiveQuestion.objects.create(
        game=game,
        index=index,
        question_version=version,
        opened_at=now,
        deadline=now + datetime.timedelta(milliseconds=limit),
        limit_ms=limit,
    )
    game.phase = Phase.QUESTION
    game.question_index = index
    game.paused_remaining_ms = None
    game.phase_deadline = phase_deadline(game, now=now, question=question)
    return question


def close_question(game: LiveGame, question: LiveQuestion, now: datetime.datetime, reason: str) -> dict:
    """Store the question's results and the standings; returns each player's row."""
    if question.pauses and question.pauses[-1][1] is None:
        question.pauses[-1][1] = ms_of(now)
    players, answers, questions, responses = standings_input(game, question.question_version_id)
    questions[question.index] = question
    version = question.question_version
    if game.mode == GameMode.ELIMINATION:
        _eliminate(game, question, players, answers)
    before = standings.compute(game, players, answers, questions, question.index - 1)
    after = standings.compute(game, players, answers, questions, question.index)
    previous = {r.player_id: r for r in before}
    attempt_of = {p.pk: p.attempt_id for p in players}
    rows = {}
    for r in after:
        was = previous.get(r.player_id)
        mine = answers.get(attempt_of[r.player_id], {}).get(version.pk)
        rows[str(r.player_id)] = [
            r.rank,
            was.rank if was is not None and question.index > 0 else None,
            round(r.score - (was.score if was else 0.0), 4),
            1 if mine is not None and mine[0] else 0,
            r.score,
            0 if r.alive else 1,
            1 if mine is not None else 0,
        ]
    question.closed_at = now
    question.close_reason = reason
    question.answered = len(responses)
    question.distribution = frames.distribution(version, responses)
    question.results = rows
    question.board = standings.board(game, before, after)
    question.save()
    _store_totals(game, players, answers, after)
    game.phase = Phase.RESULTS
    game.paused_remaining_ms = None
    game.phase_deadline = phase_deadline(game, now=now)
    return rows


def _eliminate(game: LiveGame, question: LiveQuestion, players: list, answers: dict) -> None:
    """A wrong or missing answer puts a standing player out, unless it would put out every
    player still standing: then nobody is out (the last ones standing win)."""
    vid = question.question_version_id
    alive = [p for p in players if p.kicked_at is None and p.out_index is None]
    wrong = [p for p in alive if not answers.get(p.attempt_id, {}).get(vid, (False,))[0]]
    if not wrong or len(wrong) == len(alive):
        return
    LivePlayer.objects.filter(pk__in=[p.pk for p in wrong]).update(out_index=question.index)
    for p in wrong:
        p.out_index = question.index


def _store_totals(game: LiveGame, players: list, answers: dict, rows: list) -> None:
    """Bring each attempt's totals up to date with its stored answers (scores are shown only
    at a close, so this is when they are written). Followers (``contest.hooks``) hear about
    the attempts when the game ends."""
    by_player = {r.player_id: r for r in rows}
    stored = {
        pk: (score, correct, answered)
        for pk, score, correct, answered in Attempt.objects.filter(round_id=game.round_id).values_list(
            "pk", "score", "correct_count", "answered_count"
        )
    }
    changed = []
    for p in players:
        r, old = by_player.get(p.pk), stored.get(p.attempt_id)
        if r is None or old is None:
            continue
        totals = (r.score, r.correct, len(answers.get(p.attempt_id, {})))
        if old != totals:
            changed.append((*totals, p.attempt_id))
    attempts_set_totals(rows=changed)


def question_stats_record(game: LiveGame) -> None:
    """Give the question bank the game's results per question shown: each (not kicked)
    player's credit on it (0 when unanswered), seconds from the question's opening to the
    answer, and the player's total over the game (for discrimination)."""
    from contest.models import Answer
    from quizbank.services import stats_record

    shown = list(LiveQuestion.objects.filter(game=game).values_list("question_version_id", "opened_at"))
    attempt_ids = list(
        LivePlayer.objects.filter(game=game, kicked_at__isnull=True).values_list("attempt_id", flat=True)
    )
    answered = {
        (aid, vid): (fraction, at)
        for aid, vid, fraction, at in Answer.objects.filter(attempt_id__in=attempt_ids).values_list(
            "attempt_id", "question_version_id", "fraction", "received_at"
        )
    }
    totals = {aid: sum(answered.get((aid, vid), (0.0, None))[0] for vid, _o in shown) for aid in attempt_ids}
    versions = versions_by_id({vid for vid, _o in shown})
    for vid, opened_at in shown:
        results = []
        for aid in attempt_ids:
            fraction, at = answered.get((aid, vid), (0.0, None))
            time_s = (at - opened_at).total_seconds() if at is not None else None
            results.append({"fraction": fraction, "time_s": time_s, "total": totals[aid]})
        stats_record(version=versions[vid], round_key=f"round-{game.round_id}", results=results)


def end_game(game: LiveGame, now: datetime.datetime) -> tuple[dict | None, list]:
    """Final standings on the attempts, the podium, and the PIN released. Returns the
    personal rows of a question it had to close, and the attempts."""
    personal = None
    last = game.question_index
    if game.phase == Phase.QUESTION:
        question = current_question(game)
        personal = close_question(game, question, now, "ended")
    elif game.phase == Phase.LOBBY:
        last = -1
    players, answers, questions, _responses = standings_input(game, None)
    rows = standings.compute(game, players, answers, questions, last)
    if last < 0:
        # Ended from the lobby: nobody played a question, so nobody is ranked and there is no
        # podium (not everyone tied at 0 points).
        attempts = round_close_ranked(round_=game.round, standings={}, now=now)
        game.final_board = {"top": [], "teams": [], "players": len(rows), "played": False}
    else:
        by_player = {r.player_id: r for r in rows}
        final = {p.attempt_id: (r.rank, r.time_ms) for p in players if (r := by_player.get(p.pk)) is not None}
        attempts = round_close_ranked(round_=game.round, standings=final, now=now)
        game.final_board = {
            "top": [standings.public_row(r) for r in rows[: standings.TOP]],
            "teams": standings.team_board(game, rows),
            "players": len(rows),
            "played": True,
        }
    question_stats_record(game)
    game.phase = Phase.ENDED
    game.pin = None
    game.ended_at = now
    game.phase_deadline = None
    game.paused_remaining_ms = None
    return personal, attempts


def advance(game: LiveGame, now: datetime.datetime) -> tuple[LiveQuestion | None, dict | None, list]:
    """The host's "next" (or the auto-advance): one step along the state machine. Returns
    what ``_commit`` needs: the question shown, personal rows, attempts to tell followers."""
    if game.phase == Phase.LOBBY:
        game.started_at = now
        return _open_question(game, 0, now), None, []
    if game.phase == Phase.QUESTION:
        question = current_question(game)
        return question, close_question(game, question, now, "skipped"), []
    last = game.question_index >= game.total - 1
    if game.phase == Phase.RESULTS and not last:
        game.phase = Phase.LEADERBOARD
        game.phase_deadline = phase_deadline(game, now=now)
        return current_question(game), None, []
    if game.phase in (Phase.RESULTS, Phase.LEADERBOARD) and not last:
        return _open_question(game, game.question_index + 1, now), None, []
    if game.phase in (Phase.RESULTS, Phase.LEADERBOARD):
        personal, attempts = end_game(game, now)
        return None, personal, attempts
    raise Conflict(_("Trò chơi đã kết thúc."), code="game_ended")


# --- automatic transitions ----------------------------------------------------------------
def game_advance_due(*, game_id: int, version: int, now: datetime.datetime | None = None) -> bool:
    """The clock: make the transition due at ``phase_deadline``, if the game is still in
    the state (``version``) the caller saw. Safe from any number of processes; True if this
    call made the transition."""
    now = now or timezone.now()
    with transaction.atomic():
        game = locked_game(game_id)
        if game.version != version or game.phase_deadline is None or game.phase_deadline > now:
            return False
        if game.phase == Phase.QUESTION:
            question = current_question(game)
            personal = close_question(game, question, now, "deadline")
            commit(game, question, personal=personal)
        else:
            question, personal, followers = advance(game, now)
            commit(game, question, personal=personal, followers=followers)
    return True


def question_close_if_all_answered(*, game_id: int, index: int) -> bool:
    """Close question ``index`` early once every player still in the game has answered it.
    A question is asked once, so (game, index) names it across any number of transitions."""
    with transaction.atomic():
        game = locked_game(game_id)
        if game.phase != Phase.QUESTION or game.question_index != index or game.paused:
            return False
        question = current_question(game)
        answered = game_players(game).filter(attempt__answers__question_version_id=question.question_version_id).count()
        eligible = active_players_count(game, alive=game.mode == GameMode.ELIMINATION)
        if eligible == 0 or answered < eligible:
            return False
        personal = close_question(game, question, timezone.now(), "all_answered")
        commit(game, question, personal=personal)
    return True


def due_games(now: datetime.datetime, horizon: datetime.timedelta) -> list[tuple[int, int, datetime.datetime]]:
    """(id, version, phase_deadline) of games with a transition due before now + horizon."""
    return list(
        LiveGame.objects.filter(phase_deadline__isnull=False, phase_deadline__lte=now + horizon)
        .exclude(phase=Phase.ENDED)
        .values_list("pk", "version", "phase_deadline")
    )
