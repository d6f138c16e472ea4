"""Board updates from saved answers leave the answer writer thread (``leaderboard.boards.queue``):
the ``attempt_changed`` receiver only queues them, a queue thread applies them, coalesced per
round, and the boards end up exactly as a rebuild from the database."""

import threading

import pytest

from contest import hooks
from contest.models import Reveal
from leaderboard.boards import get_backend
from leaderboard.boards import sync as boards
from leaderboard.boards.queue import BoardQueue
from tests.contest import factories as cf
from tests.contest.helpers import take


@pytest.mark.django_db(transaction=True)
def test_answers_reach_the_boards_through_the_queue_not_the_saving_thread(monkeypatch):
    w = cf.world(students=2)
    r = cf.round_(w, n_questions=3, reveal_during=Reveal.SCORE, reveal_after_attempt=Reveal.SCORE)
    applied_on = []
    real = boards.attempt_changed

    def spy(attempt):
        applied_on.append(threading.current_thread().name)
        real(attempt)

    monkeypatch.setattr(boards.answer_updates, "_apply", spy)
    queued = boards.answer_updates.queued
    take(w.students[0], r, correct=2, submit=False)
    take(w.students[1], r, correct=3, submit=False)
    assert boards.answer_updates.queued - queued == 6  # one per answer saved
    assert boards.answer_updates.drain()
    assert applied_on and set(applied_on) == {"board-queue"}  # never the thread that saved

    incremental = get_backend().dump(boards.round_scope(r.pk))
    assert incremental[f"r{r.pk}:all"]
    boards.rebuild_round(r)
    assert get_backend().dump(boards.round_scope(r.pk)) == incremental


def test_a_waiting_round_keeps_only_each_students_latest_update():
    class A:
        def __init__(self, pk, user_id, round_id, score):
            self.pk, self.user_id, self.round_id, self.score = pk, user_id, round_id, score

    gate, seen = threading.Event(), []

    def apply(attempt):
        gate.wait(5)  # hold the worker on the first update while the rest queue up
        seen.append((attempt.round_id, attempt.user_id, attempt.score))

    queue = BoardQueue(apply)
    queue.put(A(1, 10, 1, 1.0))
    for score in (2.0, 3.0, 4.0):
        queue.put(A(2, 20, 2, score))  # round 2, one student, three answers
    queue.put(A(3, 30, 3, 9.0))
    queue.put(A(2, 21, 2, 5.0))
    queue.put(A(4, None, 2, 7.0))  # no user: not on the boards
    gate.set()
    assert queue.drain()
    assert seen == [(1, 10, 1.0), (2, 20, 4.0), (2, 21, 5.0), (3, 30, 9.0)]
    assert (queue.queued, queue.applied) == (6, 4)


def test_other_changes_are_applied_at_once(monkeypatch):
    calls = []
    monkeypatch.setattr(boards, "attempt_changed", calls.append)
    boards.attempt_followed(sender=None, attempt="a", source=hooks.STANDING)
    assert calls == ["a"]
