"""The live game report as CSV and XLSX files, every cell through ``core.exports``.

CSV carries one table (the players, or the questions with ``table="questions"``) with plain
machine-readable numbers; XLSX has a sheet each for players, questions (hardest first) and
teams, numbers as numbers with a number format.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core import exports
from live.report import RIGHT, WRONG, GameReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mark(mark: str) -> str:
    return {RIGHT: _("Đúng"), WRONG: _("Sai")}.get(mark, "")


def player_header(report: GameReport) -> list[str]:
    head = [_("Hạng"), _("Người chơi")]
    if report.teams:
        head.append(_("Đội"))
    head += [_("Điểm"), _("Số câu đúng"), _("Số câu đã trả lời"), _("Thời gian (giây)"), _("Ghi chú")]
    for q in report.questions:
        head += [_("Câu %(n)d") % {"n": q.number}, _("Câu %(n)d (giây)") % {"n": q.number}]
    return head


def player_rows(report: GameReport):
    for p in report.players:
        note = _("Đã mời ra") if p.kicked else (_("Bị loại ở câu %(n)d") % {"n": p.out_number} if p.out_number else "")
        row = [p.rank, p.name]
        if report.teams:
            row.append(p.team)
        row += [p.score, p.correct, p.answered, p.time_s, note]
        for mark, seconds in zip(p.marks, p.seconds, strict=True):
            row += [_mark(mark), seconds]
        yield row


def player_formats(report: GameReport) -> list:
    formats = [exports.XLSX_INT, None] + ([None] if report.teams else [])
    formats += [exports.XLSX_DECIMAL_1, exports.XLSX_INT, exports.XLSX_INT, exports.XLSX_DECIMAL_1, None]
    return formats + [None, exports.XLSX_DECIMAL_1] * len(report.questions)


def question_header() -> list[str]:
    return [
        _("Câu"),
        _("Đề bài"),
        _("Đã trả lời"),
        _("Số người đúng"),
        _("Tỉ lệ đúng (%)"),
        _("Thời gian trung bình (giây)"),
        _("Số người chọn mỗi phương án"),
    ]


def question_rows(report: GameReport):
    for q in report.hardest:
        options = "; ".join(f"{label}{' ✔' if right else ''}: {count}" for label, count, right in q.options)
        yield [q.number, q.stem, q.answered, q.right, q.pct_right, q.avg_s, options]


QUESTION_FORMATS = [
    exports.XLSX_INT,
    None,
    exports.XLSX_INT,
    exports.XLSX_INT,
    exports.XLSX_DECIMAL_1,
    exports.XLSX_DECIMAL_1,
    None,
]


def csv_bytes(report: GameReport, *, table: str = "players", form: str = "") -> bytes:
    if table == "questions":
        return exports.csv_bytes(question_header(), question_rows(report), form=form)
    return exports.csv_bytes(player_header(report), player_rows(report), form=form)


def xlsx_bytes(report: GameReport) -> bytes:
    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Người chơi"))
    ws.append(exports.xlsx_row(ws, [report.game.round.name], font=bold))
    ws.append(exports.xlsx_row(ws, [exports.local_datetime(report.game.started_at or report.game.created_at)]))
    ws.append(exports.xlsx_row(ws, player_header(report), font=bold))
    formats = player_formats(report)
    for row in player_rows(report):
        ws.append(exports.xlsx_row(ws, row, formats))
    ws = wb.create_sheet(_("Câu hỏi"))
    ws.append(exports.xlsx_row(ws, question_header(), font=bold))
    for row in question_rows(report):
        ws.append(exports.xlsx_row(ws, row, QUESTION_FORMATS))
    if report.teams:
        ws = wb.create_sheet(_("Đội"))
        ws.append(exports.xlsx_row(ws, [_("Hạng"), _("Đội"), _("Số người"), _("Điểm trung bình")], font=bold))
        for t in report.teams:
            ws.append(
                exports.xlsx_row(
                    ws,
                    [t["rank"], t["name"], t["members"], t["score"]],
                    [exports.XLSX_INT, None, exports.XLSX_INT, exports.XLSX_DECIMAL_1],
                )
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(report: GameReport, ext: str, *, table: str = "players") -> str:
    suffix = "-cau-hoi" if table == "questions" else ""
    return f"tro-choi-{report.game.pk}-ket-qua{suffix}.{ext}"
