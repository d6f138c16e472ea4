"""The public ranking's three charts, drawn by the server as horizontal bars.

Each chart is a list: a label in HTML text (it wraps on a narrow phone instead of being cut),
the value as text, and an SVG bar whose length is the value over the largest one. Screen
readers read the labels and values; the bar is decoration. No chart library, no script.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float  # 0..100, the bar's share of the chart's width


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    value_kind: str  # "count" or "percent": how the template prints the value
    bars: list[Bar]


def _bars(pairs: list[tuple[str, float]]) -> list[Bar]:
    top = max((v for _label, v in pairs), default=0) or 1
    return [Bar(label=label, value=v, width=round(100 * v / top, 2)) for label, v in pairs]


def publication_charts(summary: dict) -> list[Chart]:
    """The charts of a publication's ``summary`` (fixed at publication); empty ones left out."""
    communes = [(c["name"], c["participants"] or 0) for c in summary.get("communes", [])]
    scores = [(_score_range(b["from"], b["to"]), b["count"]) for b in summary.get("score_bins", [])]
    schools = [(s["name"], round(100 * (s["rate"] or 0), 1)) for s in summary.get("school_rates", [])]
    charts = [
        Chart("communes", _("Tham gia theo xã/phường"), "count", _bars(communes)),
        Chart("scores", _("Phân bố điểm"), "count", _bars(scores)),
        Chart("schools", _("Trường theo tỉ lệ tham gia"), "percent", _bars(schools)),
    ]
    return [c for c in charts if c.bars]


def _score_range(low: float, high: float) -> str:
    def num(x: float) -> str:
        return f"{x:g}".replace(".", ",")

    return f"{num(low)}–{num(high)}"
