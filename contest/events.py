"""Realtime events the contest services send, always after the commit (``core.realtime.events``)."""

from core.realtime.events import group_send, send_on_commit
from core.realtime.protocol import Event, attempt_group, round_group


def attempt_closed(attempt) -> None:
    """Tell every open socket of the attempt (other tabs, other devices) that it has ended.

    In the embedded default (in-memory layer) the clock process cannot reach the web process;
    the page then learns it from its own countdown and the next save's refusal.
    """
    message = {"type": Event.CONTEST_ATTEMPT_CLOSED, "attempt": attempt.pk, "status": attempt.status}
    send_on_commit(group_send, attempt_group(attempt.pk), message)


def round_closed(round_) -> None:
    """Tell every open socket of the round's pupils that it has closed (one message per round,
    however many attempts it ended); their pages move to the result."""
    send_on_commit(group_send, round_group(round_.pk), {"type": Event.CONTEST_ROUND_CLOSED, "round": round_.pk})
