"""CSV and XLSX of a published ranking, with Vietnamese headers.

The public files show what the public page shows (consent-aware names); the organisers'
full export adds the full names and the record ids.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from leaderboard.models import Publication
from leaderboard.selectors import display_names

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 2)


def headers(pub: Publication, *, full: bool) -> list[str]:
    if pub.is_units:
        return [
            _("Hạng"),
            _("Đơn vị"),
            _("Thuộc"),
            _("Số người tham gia"),
            _("Sĩ số"),
            _("Tỉ lệ tham gia (%)"),
            _("Số lượt thi"),
            _("Tổng điểm"),
            _("Điểm trung bình"),
            _("Trung bình %(k)s bạn cao nhất") % {"k": pub.top_k or 0},
            _("Điểm thi đua"),
            _("Giải"),
        ]
    out = [_("Hạng"), _("Họ và tên"), _("Lớp"), _("Trường"), _("Xã/phường"), _("Điểm"), _("Thời gian (giây)")]
    out += [_("Số vòng"), _("Giải")]
    if full:
        out += [_("Họ và tên đầy đủ"), _("Khối"), _("Mã hồ sơ học sinh"), _("Mã tài khoản"), _("Mã chứng nhận")]
    return out


def _values(pub: Publication, row, shown: str, *, full: bool) -> list:
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
        out += [row.name, v.get("grade"), row.subject_id, v.get("user"), row.code or ""]
    return out


def rows(pub: Publication, *, full: bool, progress=None):
    """Yield each line's values in order; ``progress(done, total)`` after every chunk."""
    total = pub.rows.count()
    done = 0
    qs = pub.rows.order_by("position")
    for start in range(0, total, CHUNK):
        chunk = list(qs[start : start + CHUNK])
        names = {r.pk: r.name for r in chunk} if full else display_names(pub, chunk)
        for r in chunk:
            yield _values(pub, r, names[r.pk], full=full)
        done += len(chunk)
        if progress is not None:
            progress(done, total)


def csv_bytes(pub: Publication, *, full: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers(pub, full=full))
    for values in rows(pub, full=full):
        writer.writerow(["" if x is None else x for x in values])
    # A BOM so spreadsheet programs read Vietnamese as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode()


def xlsx_bytes(pub: Publication, *, full: bool = False, progress=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Xếp hạng"))
    from openpyxl.cell import WriteOnlyCell

    head = []
    for title in headers(pub, full=full):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        head.append(cell)
    ws.append([pub.title])
    ws.append(
        [_("Phiên bản %(v)s, công bố %(at)s") % {"v": pub.version, "at": pub.published_at.strftime("%d/%m/%Y %H:%M")}]
    )
    ws.append(head)
    for values in rows(pub, full=full, progress=progress):
        ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(pub: Publication, ext: str, *, full: bool = False) -> str:
    return f"xep-hang-{pub.kind}-{pub.contest_id}-v{pub.version}{'-day-du' if full else ''}.{ext}"
