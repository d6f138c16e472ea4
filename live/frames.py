"""The messages of a live game, built from stored rows.

``state_payload`` is the one message every player, host and projector gets at each
transition (``live.state``); it is also the reconnect snapshot. Until a question has closed it
carries the question as ``quizbank.presentation.student_payload`` renders it (no correctness,
weights, accepted answers or explanation: DESIGN invariant 4); the correct answer, the
distribution and points appear only in the ``results`` phase and later.

``encode`` turns a payload into the text sent on the wire, once per message.
"""

import json

from contest.presentation import ms, question_payload
from core.realtime.protocol import Msg, now_ms
from live.models import LiveGame, LiveQuestion, Phase
from quizbank.presentation import reveal_payload

CHOICE_TYPES = ("single", "truefalse", "multiple")


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def question_block(game: LiveGame, question: LiveQuestion) -> dict:
    version = question.question_version
    data = question_payload(version, game.choice_orders.get(str(version.pk)))
    data["index"] = question.index
    data["limit_ms"] = question.limit_ms
    return data


def distribution(version, responses: list) -> dict:
    """How many chose each choice (choice questions), or were right and wrong (others)."""
    if version.qtype in CHOICE_TYPES:
        counts = {c["id"]: 0 for c in version.choices}
        for response, _correct in responses:
            chosen = [response.get("choice")] if "choice" in response else response.get("choices") or []
            for cid in chosen:
                if cid in counts:
                    counts[cid] += 1
        return counts
    right = sum(1 for _r, correct in responses if correct)
    return {"correct": right, "wrong": len(responses) - right}


def results_block(question: LiveQuestion, players: int) -> dict:
    reveal = reveal_payload(question.question_version)
    return {
        "answered": question.answered,
        "players": players,
        "distribution": question.distribution,
        "correct": reveal["correct"],
        "correct_choices": reveal["correct_choices"],
        "explanation_html": reveal["explanation_html"],
        "reason": question.close_reason,
    }


def state_payload(game: LiveGame, *, question: LiveQuestion | None, players: int, alive: int | None = None) -> dict:
    """The whole visible state of the game (see the module docstring)."""
    data = {
        "type": Msg.LIVE_STATE,
        "game": game.pk,
        "v": game.version,
        "name": game.round.name,
        "phase": game.phase,
        "mode": game.mode,
        "team_mode": game.team_mode,
        "teams": [{"key": t["key"], "name": t["name"]} for t in game.teams],
        "index": game.question_index,
        "total": game.total,
        "players": players,
        "paused": game.paused,
        "remaining_ms": game.paused_remaining_ms,
        "deadline": None,
        "phase_deadline": ms(game.phase_deadline),
        "server_now": now_ms(),
    }
    if alive is not None:
        data["alive"] = alive
    if question is not None and game.phase in (Phase.QUESTION, Phase.RESULTS):
        data["question"] = question_block(game, question)
        if game.phase == Phase.QUESTION and not game.paused:
            data["deadline"] = ms(question.deadline)
    if question is not None and game.phase == Phase.RESULTS:
        data["results"] = results_block(question, players)
    if question is not None and game.phase == Phase.LEADERBOARD:
        data["board"] = question.board
    if game.phase == Phase.ENDED:
        data["podium"] = game.final_board
    return data


def you_payload(player_id: int, index: int, row: list | None, *, answered: bool | None = None) -> dict:
    """One player's own standing after question ``index`` (``row`` from LiveQuestion.results:
    [rank, prev_rank, points, correct, score, out, answered]); before any close, just whether
    they have answered the open question."""
    data = {"type": Msg.LIVE_YOU, "player": player_id, "index": index}
    if row is not None:
        rank, prev, points, correct, score, out, did_answer = row
        data.update(
            rank=rank, prev_rank=prev, points=points, correct=bool(correct), score=score, out=bool(out),
            answered=bool(did_answer),
        )  # fmt: skip
    if answered is not None:
        data["answered"] = answered
    return data
