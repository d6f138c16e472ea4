"""CSV and XLSX of a published ranking, with Vietnamese headers.

The public files show what the public page shows (consent-aware names); the organisers'
full export adds the full names and the record ids. Every column has a kind, which decides
its number format in XLSX and its text in the PDF; every cell goes through
``core.exports`` (no formula ever comes out of content). A unit ranking names its ordering
key in a legend line, and that column carries enough decimals for the order to be visible.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from contest.scoring import get_format
from core import exports
from leaderboard.models import Metric, Publication
from leaderboard.selectors import display_names

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The unit-ranking columns that hold each metric (the ordering key), by position.
METRIC_COLUMN = {
    "participants": 3,
    "participation_rate": 5,
    "attempts": 6,
    "mean_score": 8,
    "top_k_mean": 9,
    "prize_points": 10,
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | int | score (2 decimals) | seconds (1 decimal) | pct (2-4 decimals)


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 4)


def columns(pub: Publication, *, full: bool) -> list[Column]:
    if pub.is_units:
        return [
            Column(_("Hạng"), "int"),
            Column(_("Đơn vị")),
            Column(_("Thuộc")),
            Column(_("Số người tham gia"), "int"),
            Column(_("Sĩ số"), "int"),
            Column(_("Tỉ lệ tham gia (%)"), "pct"),
            Column(_("Số lượt thi"), "int"),
            Column(_("Tổng điểm"), "score"),
            Column(_("Điểm trung bình"), "score"),
            Column(_("Trung bình %(k)s bạn cao nhất") % {"k": pub.top_k or 0}, "score"),
            Column(_("Điểm thi đua"), "score"),
            Column(_("Giải")),
        ]
    out = [Column(_("Hạng"), "int"), Column(_("Họ và tên")), Column(_("Lớp")), Column(_("Trường"))]
    out += [Column(_("Xã/phường")), Column(_("Điểm"), "score"), Column(_("Thời gian (giây)"), "seconds")]
    out += [Column(_("Số vòng"), "int"), Column(_("Giải"))]
    if full:
        out += [Column(_("Họ và tên đầy đủ")), Column(_("Khối"), "int"), Column(_("Mã hồ sơ học sinh"))]
        out += [Column(_("Mã tài khoản")), Column(_("Mã chứng nhận")), Column(_("Ngày sinh"))]
    return out


def headers(pub: Publication, *, full: bool) -> list[str]:
    return [c.title for c in columns(pub, full=full)]


def ordering_column(pub: Publication) -> int | None:
    """The position of the column a unit ranking is ordered by (None: individual rankings)."""
    return METRIC_COLUMN.get(pub.metric) if pub.is_units else None


_UNSET = object()


def _single_round(pub: Publication):
    """The one round a published ranking ranks on its own (``RankingScope.single``), or None
    for a sum of rounds (the year, or several rounds). The series names the scope."""
    parts = pub.series.split("|")
    if len(parts) < 2 or parts[1] == "year" or "," in parts[1]:
        return None
    return pub.rounds.first()


def ordering_legend(pub: Publication, *, single_round=_UNSET) -> str:
    """One line saying what the rows are ordered by, for the page and every export.

    An individual ranking of one round (``single_round``, default: the publication's) follows
    that round's scoring format, whose description states the rule; a sum of rounds is ordered
    as ``leaderboard.rankings._summed`` orders it (points, then the total time).
    """
    if pub.is_units:
        label = str(Metric(pub.metric).label) if pub.metric in Metric.values else pub.metric
        if pub.metric == "top_k_mean":
            label = _("Trung bình %(k)s bạn cao nhất") % {"k": pub.top_k or 0}
        return _("Xếp theo: %(key)s (cao trước); bằng nhau thì cùng hạng.") % {"key": label}
    if single_round is _UNSET:
        single_round = _single_round(pub) if pub.pk else None
    if single_round is not None:
        return str(get_format(single_round.scoring_format).description)
    return _("Xếp theo tổng điểm các vòng (cao trước), rồi tổng thời gian làm bài ít hơn; bằng nhau thì cùng hạng.")


def pct_decimals(rates, *, least: int = 2, most: int = 4) -> int:
    """The fewest decimals (of a percentage) at which neighbouring different rates read
    differently, so the order of a ranking by participation rate is visible."""
    values = [r for r in rates if r is not None]
    for decimals in range(least, most + 1):
        shown = [round(v * 100, decimals) for v in values]
        if all(a != b or x == y for a, b, x, y in zip(shown, shown[1:], values, values[1:], strict=False)):
            return decimals
    return most


def _values(pub: Publication, row, shown: str, *, full: bool, born: dict | None = None) -> list:
    v = row.values
    if pub.is_units:
        return [
            row.rank,
            row.name,
            v.get("detail", ""),
            v.get("participants"),
            v.get("enrolled"),
            _pct(v.get("participation_rate")),
            v.get("attempts"),
            v.get("total"),
            v.get("mean_score"),
            v.get("top_k_mean"),
            v.get("prize_points"),
            row.prize,
        ]
    out = [row.rank, shown, row.class_name, row.school_name, row.commune_name, v.get("score")]
    out += [round((v.get("time_ms") or 0) / 1000, 1), v.get("rounds"), row.prize]
    if full:
        dob = (born or {}).get(row.subject_id)
        out += [row.name, v.get("grade"), row.subject_id, v.get("user"), row.code or ""]
        out += [dob.strftime("%d/%m/%Y") if dob else ""]  # to tell pupils with the same name apart
    return out


def rows(pub: Publication, *, full: bool, progress=None):
    """Yield each line's values in order; ``progress(done, total)`` after every chunk."""
    total = pub.rows.count()
    done = 0
    qs = pub.rows.order_by("position")
    for start in range(0, total, CHUNK):
        chunk = list(qs[start : start + CHUNK])
        names = {r.pk: r.name for r in chunk} if full else display_names(pub, chunk)
        born = _dates_of_birth(pub, chunk) if full else None
        for r in chunk:
            yield _values(pub, r, names[r.pk], full=full, born=born)
        done += len(chunk)
        if progress is not None:
            progress(done, total)


def _dates_of_birth(pub: Publication, chunk) -> dict:
    """Pupils' dates of birth by student id, read from the school records (one query a chunk)."""
    if pub.is_units:
        return {}
    from schools.models import Student

    ids = [r.subject_id for r in chunk if r.subject_id is not None]
    return dict(Student.objects.filter(pk__in=ids).values_list("pk", "date_of_birth"))


def _pct_decimals_of(pub: Publication) -> int:
    if not pub.is_units:
        return 2
    return pct_decimals(r.values.get("participation_rate") for r in pub.rows.order_by("position"))


def xlsx_format(kind: str, pct_decimals: int = 2) -> str | None:
    return {
        "int": exports.XLSX_INT,
        "score": exports.XLSX_DECIMAL_2,
        "seconds": exports.XLSX_DECIMAL_1,
        "pct": "#,##0." + "0" * pct_decimals,
    }.get(kind)


def text_of(value, kind: str, pct_decimals: int = 2) -> str:
    """A value as a person reads it (PDF): Vietnamese number format, no float noise."""
    if value is None:
        return ""
    if kind == "int":
        return exports.number(value, 0)
    if kind == "score":
        return exports.number(value, 2)
    if kind == "seconds":
        return exports.number(value, 1)
    if kind == "pct":
        return exports.number(value, pct_decimals, trim=False) + " %"
    return str(value)


def published_line(pub: Publication) -> str:
    return _("Phiên bản %(v)s, công bố %(at)s") % {"v": pub.version, "at": exports.local_datetime(pub.published_at)}


def csv_bytes(pub: Publication, *, full: bool = False, form: str = "") -> bytes:
    # Plain machine-readable numbers (a dot for decimals), or Excel set to Vietnamese (``form``);
    # the legend is in the page, PDF, XLSX.
    return exports.csv_bytes(headers(pub, full=full), rows(pub, full=full), form=form)


def xlsx_bytes(pub: Publication, *, full: bool = False, progress=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Xếp hạng"))
    cols = columns(pub, full=full)
    decimals = _pct_decimals_of(pub)
    formats = [xlsx_format(c.kind, decimals) for c in cols]
    ws.append(exports.xlsx_row(ws, [pub.title], font=Font(bold=True)))
    ws.append(exports.xlsx_row(ws, [published_line(pub)]))
    ws.append(exports.xlsx_row(ws, [ordering_legend(pub)]))
    ws.append(exports.xlsx_row(ws, [c.title for c in cols], font=Font(bold=True)))
    for values in rows(pub, full=full, progress=progress):
        ws.append(exports.xlsx_row(ws, values, formats))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(pub: Publication, ext: str, *, full: bool = False) -> str:
    return f"xep-hang-{pub.kind}-{pub.contest_id}-v{pub.version}{'-day-du' if full else ''}.{ext}"
