"""Reads of the live app: standings inputs, snapshots for players and hosts, game lists."""

from django.db.models import Q, QuerySet
from django.urls import reverse

from contest.models import Answer, Round, RoundMode
from contest.scope import manages_round
from live import frames, standings
from live.models import GameMode, LiveGame, LivePlayer, LiveQuestion, Phase


def game_players(game: LiveGame) -> QuerySet[LivePlayer]:
    """Players still in the game (not kicked)."""
    return LivePlayer.objects.filter(game=game, kicked_at__isnull=True)


def active_players_count(game: LiveGame, *, alive: bool = False) -> int:
    qs = game_players(game)
    if alive:
        qs = qs.filter(out_index__isnull=True)
    return qs.count()


def standings_input(game: LiveGame, version_id: int | None) -> tuple[list, dict, dict, list]:
    """Everything standings need, in three queries: the players, every stored answer as
    ``{attempt_id: {version_id: (correct, points, elapsed_ms)}}``, the asked questions by index,
    and the (response, correct) pairs of ``version_id``."""
    players = list(
        LivePlayer.objects.filter(game=game).only(
            "pk", "attempt_id", "name", "team", "kicked_at", "out_index", "game_id"
        )
    )
    questions = {q.index: q for q in LiveQuestion.objects.filter(game=game)}
    by_version = {q.question_version_id: q for q in questions.values()}
    answers: dict[int, dict] = {}
    responses = []
    rows = Answer.objects.filter(attempt__round_id=game.round_id).values_list(
        "attempt_id", "question_version_id", "correct", "points", "received_at", "response"
    )
    for attempt_id, vid, correct, points, received_at, response in rows:
        question = by_version.get(vid)
        elapsed = standings.elapsed_ms(question, received_at) if question is not None else 0
        if question is not None:
            elapsed = min(elapsed, question.limit_ms)
        answers.setdefault(attempt_id, {})[vid] = (correct, points, elapsed)
        if vid == version_id:
            responses.append((response, correct))
    return players, answers, questions, responses


def state_payload(game: LiveGame) -> dict:
    """The current ``live.state`` of a game, from the database."""
    question = None
    if game.question_index >= 0:
        question = (
            LiveQuestion.objects.select_related("question_version").filter(game=game, index=game.question_index).first()
        )
    alive = active_players_count(game, alive=True) if game.mode == GameMode.ELIMINATION else None
    payload = frames.state_payload(game, question=question, players=active_players_count(game), alive=alive)
    payload["rescues_used"] = game.rescues_used
    payload["rescues_allowed"] = game.rescues_allowed
    return payload


def state_for_players(game_id: int) -> dict | None:
    game = LiveGame.objects.select_related("round").filter(pk=game_id).first()
    return None if game is None else state_payload(game)


def lobby_list(game: LiveGame, *, limit: int = 500) -> list[dict]:
    return [
        {"id": pk, "name": name, "team": team}
        for pk, name, team in game_players(game).order_by("joined_at", "pk").values_list("pk", "name", "team")[:limit]
    ]


def answered_count(game: LiveGame) -> int:
    if game.phase != Phase.QUESTION or game.question_index < 0:
        return 0
    vid = game.question_order[game.question_index]
    return Answer.objects.filter(attempt__round_id=game.round_id, question_version_id=vid).count()


def join_url(request, game: LiveGame) -> str:
    from django.conf import settings

    path = reverse("live:join") + f"?pin={game.pin}" if game.pin else reverse("live:join")
    base = settings.SITE_URL or (request.build_absolute_uri("/").rstrip("/") if request is not None else "")
    return base + path


def host_snapshot(game: LiveGame) -> dict:
    """What the host console and the projector need on (re)connect."""
    return {
        "state": state_payload(game),
        "players": lobby_list(game),
        "answered": answered_count(game),
    }


def player_snapshot(player: LivePlayer) -> dict:
    """A returning player's own standing: the last closed question's row (rank, score) and
    whether they have answered the open question. Never the open question's correctness."""
    game = player.game
    last = (
        LiveQuestion.objects.filter(game=game, closed_at__isnull=False)
        .order_by("-index")
        .only("index", "results")
        .first()
    )
    row = last.results.get(str(player.pk)) if last is not None else None
    payload = frames.you_payload(player.pk, last.index if last is not None else -1, row)
    if game.phase == Phase.QUESTION:
        vid = game.question_order[game.question_index]
        payload["current"] = {
            "index": game.question_index,
            "answered": Answer.objects.filter(attempt_id=player.attempt_id, question_version_id=vid).exists(),
        }
    if game.phase == Phase.ENDED:
        payload["final_rank"] = player.attempt.rank
        payload["score"] = player.attempt.score
    payload["out"] = player.out_index is not None
    return payload


def hosted_rounds(user) -> QuerySet[Round]:
    """Live rounds the user may host: their own and their schools' (for the host list)."""
    qs = Round.objects.filter(mode=RoundMode.LIVE, contest__isnull=True).select_related("school")
    if not user.is_superuser:
        from schools.selectors import schools_in_scope

        qs = qs.filter(Q(owner=user) | Q(school__in=schools_in_scope(user)))
    return qs.order_by("-created_at", "-pk")


def host_games(user, *, limit: int = 50) -> list[dict]:
    """The user's live rounds with their game, newest first."""
    rounds = [r for r in hosted_rounds(user)[: limit * 2] if manages_round(user, r)][:limit]
    games = {g.round_id: g for g in LiveGame.objects.filter(round__in=rounds)}
    return [{"round": r, "game": games.get(r.pk)} for r in rounds]
