"""Schools file: code, name, levels, commune code and enrolment.

Enrolment is either one "Sĩ số" column (a number for a single-level school, or pairs such as
"6:120; 7:115" by grade, or "THPT:900" by level) or one column per grade ("Khối 6", …).
Schools are identified by code: names repeat after mergers.
"""

import re

from django.utils.translation import gettext_noop

from core.exports import is_formula_like
from core.text import normalise_header, search_key
from schools.imports.files import MSG_DUPLICATE, MSG_FORMULA, MSG_REQUIRED, MSG_TOO_LONG, Column, cell_text, row_error
from schools.models import Level, Region, RegionKind, School
from schools.scope import scope_of
from schools.services import enrolment_rows

GRADE_LABEL = gettext_noop("Khối")  # the column named in errors about any "Khối N" column
GRADE_COLUMNS = [
    Column(f"grade_{g}", f"Khối {g}", (f"sĩ số khối {g}", f"lớp {g}", f"grade {g}"), required=False)
    for g in range(1, 13)
]
COLUMNS = [
    Column("code", gettext_noop("Mã trường"), ("mã", "school code", "code")),
    Column("name", gettext_noop("Tên trường"), ("tên", "school name", "name")),
    Column("levels", gettext_noop("Cấp học"), ("cấp", "levels")),
    Column("commune", gettext_noop("Mã xã"), ("mã xã/phường", "mã xã, phường", "mã đơn vị", "commune code", "commune")),
    Column("enrolment", gettext_noop("Sĩ số"), ("số học sinh", "enrolment"), required=False),
    *GRADE_COLUMNS,
]

_LEVEL_WORDS = {
    Level.TIEU_HOC: {"tieu hoc", "th", "tieu_hoc", "primary"},
    Level.THCS: {"thcs", "trung hoc co so", "lower secondary"},
    Level.THPT: {"thpt", "trung hoc pho thong", "upper secondary"},
    Level.GDTX: {"gdtx", "giao duc thuong xuyen", "gdnn-gdtx", "continuing education"},
    Level.TRUNG_CAP: {"trung cap", "trung_cap", "tc"},
    Level.CAO_DANG: {"cao dang", "cao_dang", "cd"},
    Level.DAI_HOC: {"dai hoc", "dai_hoc", "dh", "university"},
}
_SPLIT = re.compile(r"[,;/+]| - ")


def parse_level(text: str) -> str | None:
    key = normalise_header(text)
    return next((str(level) for level, words in _LEVEL_WORDS.items() if key in words), None)


def parse_levels(text: str) -> list[str] | None:
    parts = [p for p in (s.strip() for s in _SPLIT.split(text)) if p]
    levels = [parse_level(p) for p in parts]
    if not levels or None in levels:
        return None
    return sorted(set(levels), key=Level.values.index)


def parse_enrolment(text: str, levels: list[str]) -> tuple[dict | None, str | None]:
    """Counts keyed by grade (int) or level (str); or an error msgid."""
    if text.isdigit():
        if len(levels) != 1:
            return None, gettext_noop("Trường nhiều cấp học: ghi sĩ số theo khối, ví dụ “6:120; 7:115”.")
        return {levels[0]: int(text)}, None
    counts: dict = {}
    for part in (p for p in re.split(r"[;,]", text) if p.strip()):
        key, sep, value = part.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not value.isdigit():
            return None, gettext_noop("Sĩ số phải là một số, hoặc các cặp “khối:số” như “6:120; 7:115”.")
        if key.isdigit() and 1 <= int(key) <= 12:
            counts[int(key)] = int(value)
        elif parse_level(key) in levels:
            counts[parse_level(key)] = int(value)
        else:
            return None, gettext_noop("Sĩ số phải là một số, hoặc các cặp “khối:số” như “6:120; 7:115”.")
    return counts, None


def _enrolment_signature(levels, counts) -> list:
    return sorted([lv, g or 0, c] for lv, g, c in enrolment_rows(levels, counts))


def plan(sheet, *, actor, is_demo: bool, **_ignored):
    scope = scope_of(actor)
    communes = {r.code: r for r in Region.objects.filter(kind=RegionKind.COMMUNE)}
    existing = {s.code: s for s in School.objects.select_related("commune").prefetch_related("enrolments")}
    rows, errors, seen = [], [], {}
    for number, values in sheet.rows:
        code, name = cell_text(values.get("code")), cell_text(values.get("name"))
        commune_code = cell_text(values.get("commune"))
        if isinstance(values.get("commune"), int):  # typed as a number: leading zeros lost
            commune_code = commune_code.zfill(5)
        before = len(errors)
        if not code:
            errors.append(row_error(number, "Mã trường", MSG_REQUIRED))
        elif len(code) > 32:
            errors.append(row_error(number, "Mã trường", MSG_TOO_LONG, max=32))
        elif code in seen:
            errors.append(row_error(number, "Mã trường", MSG_DUPLICATE, other=seen[code]))
        seen.setdefault(code, number)
        if not name:
            errors.append(row_error(number, "Tên trường", MSG_REQUIRED))
        elif len(name) > 200:
            errors.append(row_error(number, "Tên trường", MSG_TOO_LONG, max=200))
        elif is_formula_like(name):
            errors.append(row_error(number, "Tên trường", MSG_FORMULA))
        levels = parse_levels(cell_text(values.get("levels")))
        if levels is None:
            errors.append(
                row_error(
                    number,
                    "Cấp học",
                    gettext_noop(
                        "Cấp học không hợp lệ: dùng Tiểu học, THCS, THPT, GDTX, Trung cấp, Cao đẳng, Đại học."
                    ),
                )
            )
        commune = communes.get(commune_code)
        if commune is None:
            errors.append(
                row_error(number, "Mã xã", gettext_noop("Không có xã/phường mã %(code)s."), code=commune_code)
            )
        elif not scope.superuser and commune.pk not in scope.region_ids:
            errors.append(row_error(number, "Mã xã", gettext_noop("Xã/phường này ngoài phạm vi quản lý của bạn.")))
        old = existing.get(code)
        if old is not None and not scope.superuser and old.commune_id not in scope.region_ids:
            errors.append(
                row_error(number, "Mã trường", gettext_noop("Mã trường đã thuộc một đơn vị ngoài phạm vi của bạn."))
            )
        counts = None
        grade_counts = {int(k.split("_")[1]): cell_text(v) for k, v in values.items() if k.startswith("grade_")}
        grade_counts = {g: v for g, v in grade_counts.items() if v}
        if levels is not None:
            if grade_counts:
                if not all(v.isdigit() for v in grade_counts.values()):
                    errors.append(row_error(number, GRADE_LABEL, gettext_noop("Sĩ số theo khối phải là số nguyên.")))
                else:
                    counts = {g: int(v) for g, v in grade_counts.items()}
            elif cell_text(values.get("enrolment")):
                counts, message = parse_enrolment(cell_text(values.get("enrolment")), levels)
                if message:
                    errors.append(row_error(number, "Sĩ số", message))
        if len(errors) > before:
            continue
        enrolment = None if counts is None else [[k, v] for k, v in counts.items()]
        if old is None:
            action = "create"
        else:
            same = (old.name, old.levels, old.commune.code, old.is_demo) == (name, levels, commune_code, is_demo)
            if same and counts is not None:
                stored = sorted([e.level, e.grade or 0, e.count] for e in old.enrolments.all())
                same = stored == _enrolment_signature(levels, counts)
            action = "unchanged" if same else "update"
        rows.append(
            {
                "row": number,
                "action": action,
                "code": code,
                "name": name,
                "levels": levels,
                "commune": commune_code,
                "enrolment": enrolment,
                "is_demo": is_demo,
            }
        )
    return rows, errors


def commit(job, *, actor):
    from schools.services import enrolment_set

    communes = {r.code: r for r in Region.objects.filter(code__in={r["commune"] for r in job.rows})}
    existing = {s.code: s for s in School.objects.filter(code__in=[r["code"] for r in job.rows])}
    creates, updates, enrol = [], [], []
    for row in job.rows:
        if row["action"] == "unchanged":
            continue
        school = existing.get(row["code"]) or School(code=row["code"])
        school.name, school.name_search, school.levels = row["name"], search_key(row["name"]), row["levels"]
        school.commune, school.is_demo = communes[row["commune"]], row["is_demo"]
        (updates if school.pk else creates).append(school)
        if row["enrolment"] is not None:
            enrol.append((row["code"], {k if isinstance(k, str) else int(k): v for k, v in row["enrolment"]}))
    School.objects.bulk_create(creates)
    School.objects.bulk_update(updates, ["name", "name_search", "levels", "commune", "is_demo"])
    by_code = {s.code: s for s in School.objects.filter(code__in=[code for code, _counts in enrol])}
    for code, counts in enrol:
        enrolment_set(school=by_code[code], counts=counts)
