"""Realtime events the contest services send, always after the commit."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core.realtime.protocol import Event, attempt_group

logger = logging.getLogger(__name__)


def _group_send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning("could not send %s to %s", message.get("type"), group, exc_info=True)


def attempt_closed(attempt) -> None:
    """Tell every open socket of the attempt (other tabs, other devices) that it has ended.

    In the embedded default (in-memory layer) the clock process cannot reach the web process;
    the page then learns it from its own countdown and the next save's refusal.
    """
    message = {"type": Event.CONTEST_ATTEMPT_CLOSED, "attempt": attempt.pk, "status": attempt.status}
    transaction.on_commit(lambda: _group_send(attempt_group(attempt.pk), message))
