"""Administrative units file: code, name, type, parent code (Decision 19/2025/QĐ-TTg lists).

Provinces have 2-digit codes and no parent; communes (xã, phường, đặc khu) have 5-digit codes
and a province parent, found in the same file or already stored. A list that is not the
official one must be imported with ``is_demo`` so every unit it makes is marked as demo.
"""

from django.utils.translation import gettext_noop

from core.exports import is_formula_like
from core.text import normalise_header, search_key
from schools.imports.files import MSG_DUPLICATE, MSG_FORMULA, MSG_REQUIRED, MSG_TOO_LONG, Column, cell_text, row_error
from schools.models import Region, RegionKind
from schools.scope import scope_of

COLUMNS = [
    Column("code", gettext_noop("Mã"), ("mã đơn vị", "mã đvhc", "mã số", "code")),
    Column("name", gettext_noop("Tên"), ("tên đơn vị", "tên đvhc", "name")),
    Column("kind", gettext_noop("Loại"), ("cấp", "loại đơn vị", "type", "kind")),
    Column(
        "parent", gettext_noop("Mã cấp trên"), ("mã tỉnh", "mã tỉnh/thành phố", "parent code", "parent"), required=False
    ),
    Column("legacy", gettext_noop("Đơn vị cũ"), ("tên cũ", "legacy label", "legacy"), required=False),
]

_KIND_WORDS = {
    RegionKind.PROVINCE: {"tinh", "thanh pho", "tinh/thanh pho", "tinh/tp", "tp", "province", "city"},
    RegionKind.COMMUNE: {"xa", "phuong", "dac khu", "xa/phuong", "xa/phuong/dac khu", "commune", "ward"},
}
_CODE_LENGTH = {RegionKind.PROVINCE: 2, RegionKind.COMMUNE: 5}


def parse_kind(text: str) -> str | None:
    key = normalise_header(text)
    return next((kind for kind, words in _KIND_WORDS.items() if key in words), None)


def plan(sheet, *, actor, is_demo: bool, **_ignored):
    scope = scope_of(actor)
    rows, errors, seen = [], [], {}
    existing = {r.code: r for r in Region.objects.all()}
    provinces_in_file = set()
    parsed = []
    for number, values in sheet.rows:
        code, name = cell_text(values.get("code")), cell_text(values.get("name"))
        kind = parse_kind(cell_text(values.get("kind")))
        parent = cell_text(values.get("parent"))
        legacy = cell_text(values.get("legacy"))
        row_errors = []
        if kind is None:
            row_errors.append(
                row_error(number, "Loại", gettext_noop("Loại phải là tỉnh/thành phố hoặc xã/phường/đặc khu."))
            )
        elif isinstance(values.get("code"), int):
            code = code.zfill(_CODE_LENGTH[kind])  # a code typed as a number lost its leading zeros
        if not code:
            row_errors.append(row_error(number, "Mã", MSG_REQUIRED))
        elif kind and not (code.isdigit() and len(code) == _CODE_LENGTH[kind]):
            row_errors.append(row_error(number, "Mã", gettext_noop("Mã tỉnh có 2 chữ số, mã xã có 5 chữ số.")))
        if not name:
            row_errors.append(row_error(number, "Tên", MSG_REQUIRED))
        elif len(name) > 120:
            row_errors.append(row_error(number, "Tên", MSG_TOO_LONG, max=120))
        elif is_formula_like(name):
            row_errors.append(row_error(number, "Tên", MSG_FORMULA))
        if code in seen:
            row_errors.append(row_error(number, "Mã", MSG_DUPLICATE, other=seen[code]))
        seen.setdefault(code, number)
        if kind == RegionKind.PROVINCE:
            provinces_in_file.add(code)
            if parent:
                row_errors.append(row_error(number, "Mã cấp trên", gettext_noop("Tỉnh/thành phố không có cấp trên.")))
        errors.extend(row_errors)
        parsed.append(
            (
                number,
                code,
                name,
                kind,
                parent.zfill(2) if isinstance(values.get("parent"), int) else parent,
                legacy,
                row_errors,
            )
        )

    for number, code, name, kind, parent, legacy, row_errors in parsed:
        if row_errors:
            continue
        if kind == RegionKind.COMMUNE:
            if not parent:
                errors.append(row_error(number, "Mã cấp trên", MSG_REQUIRED))
                continue
            parent_region = existing.get(parent)
            known = parent in provinces_in_file or (parent_region and parent_region.kind == RegionKind.PROVINCE)
            if not known:
                errors.append(
                    row_error(number, "Mã cấp trên", gettext_noop("Không có tỉnh/thành phố mã %(code)s."), code=parent)
                )
                continue
            if not scope.superuser and (parent_region is None or parent_region.pk not in scope.region_ids):
                errors.append(
                    row_error(number, "Mã cấp trên", gettext_noop("Tỉnh/thành phố này ngoài phạm vi quản lý của bạn."))
                )
                continue
        elif not scope.superuser:
            errors.append(row_error(number, "Loại", gettext_noop("Chỉ quản trị hệ thống được nhập tỉnh/thành phố.")))
            continue
        old = existing.get(code)
        if old is not None and old.kind != kind:
            errors.append(row_error(number, "Loại", gettext_noop("Mã %(code)s đã là một đơn vị cấp khác."), code=code))
            continue
        new = {
            "code": code,
            "name": name,
            "kind": kind,
            "parent": parent if kind == RegionKind.COMMUNE else "",
            "legacy_label": legacy,
            "is_demo": is_demo,
        }
        if old is None:
            action = "create"
        else:
            same = (old.name, old.legacy_label, old.is_demo, old.parent.code if old.parent_id else "") == (
                name,
                legacy,
                is_demo,
                new["parent"],
            )
            action = "unchanged" if same else "update"
        rows.append({"row": number, "action": action, **new})
    return rows, errors


def commit(job, *, actor):
    """Write the planned units: provinces first, then communes; bulk, in the caller's transaction."""
    rows = job.rows
    codes = {r["code"] for r in rows} | {r["parent"] for r in rows if r["parent"]}
    existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
    for kind in (RegionKind.PROVINCE, RegionKind.COMMUNE):
        creates, updates = [], []
        for row in rows:
            if row["kind"] != kind or row["action"] == "unchanged":
                continue
            region = existing.get(row["code"]) or Region(code=row["code"], kind=kind)
            region.name, region.name_search = row["name"], search_key(row["name"])
            region.legacy_label, region.is_demo = row["legacy_label"], row["is_demo"]
            region.parent = existing[row["parent"]] if row["parent"] else None
            (updates if region.pk else creates).append(region)
        for region in Region.objects.bulk_create(creates):
            existing[region.code] = region
        Region.objects.bulk_update(updates, ["name", "name_search", "legacy_label", "is_demo", "parent"])
        if kind == RegionKind.PROVINCE and creates:
            # bulk_create may not return ids on every backend; re-read the provinces just made.
            existing.update({r.code: r for r in Region.objects.filter(code__in=[c.code for c in creates])})
