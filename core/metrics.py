"""Prometheus metrics of one server process, at ``/metrics`` (``docs/operations.md``).

Request counts and latencies come from django-prometheus's middleware. The project's own
figures are here: instruments updated where things happen (sockets, acknowledged answers,
answer batches) and gauges read from the database when the page is scraped (live games
running, attempts overdue, which is the contest clock's lag). Each Daphne worker has its own
registry: scrape every worker's port, as Prometheus does for any multi-process server.

``/metrics`` is for the operators, not the public: it answers to requests from the addresses
in ``METRICS_ALLOWED`` (loopback by default) or carrying ``Authorization: Bearer
<METRICS_TOKEN>``, and 404 to everyone else.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from core.client import client_address

OPEN_SOCKETS = Gauge("hts_open_sockets", "Websockets open in this process", ["endpoint"])
ANSWERS_ACKNOWLEDGED = Counter("hts_answers_acknowledged_total", "Answers acknowledged after their commit", ["mode"])
BATCH_SIZE = Histogram(
    "hts_batch_size", "Requests per group-commit batch", ["writer"], buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500)
)
BATCH_SECONDS = Histogram(
    "hts_batch_commit_seconds",
    "Time to grade, write and commit one batch",
    ["writer"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


class DatabaseGauges:
    """Gauges read from the database at scrape time, so any worker tells the whole truth."""

    def collect(self):
        from contest.models import Attempt, AttemptStatus
        from live.models import LiveGame

        running = LiveGame.objects.exclude(phase__in=["lobby", "ended"]).count()
        yield GaugeMetricFamily("hts_live_games_running", "Live games past the lobby and not ended", value=running)
        lobbies = LiveGame.objects.filter(phase="lobby").count()
        yield GaugeMetricFamily("hts_live_games_in_lobby", "Live games waiting in the lobby", value=lobbies)
        oldest = (
            Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=timezone.now())
            .order_by("deadline")
            .values_list("deadline", flat=True)
            .first()
        )
        lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "hts_clock_lag_seconds",
            "How long the most overdue running attempt is past its deadline (the clock closes them)",
            value=lag,
        )


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:], token):
        return True
    try:
        # The real client behind a trusted proxy: through nginx every request comes from loopback.
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED)


def metrics_view(request):
    if not _allowed(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=True)
    registry.register(DatabaseGauges())
    body = generate_latest(REGISTRY) + generate_latest(registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
