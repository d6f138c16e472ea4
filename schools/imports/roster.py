"""Class rosters: the spreadsheet a school already keeps, one row per pupil.

Columns "Họ và tên", "Ngày sinh", "Lớp" and optionally "Mã học sinh" and "Giới tính". A row
matches a stored pupil of the school by student code, else by name and date of birth, so
importing the same file again changes nothing. New pupils get a generated username and an
initial password, printed on login cards.
"""

import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.hashers import card_hash
from core.text import search_key
from schools import selectors
from schools.imports.files import MSG_DUPLICATE, MSG_REQUIRED, MSG_TOO_LONG, Column, cell_date, cell_text, row_error
from schools.models import Gender, Level, SchoolClass, Student
from schools.naming import clean_name, is_person_name
from schools.scope import scope_of
from schools.services import fill_student_names

COLUMNS = [
    Column("full_name", gettext_noop("Họ và tên"), ("họ tên", "họ và tên học sinh", "tên học sinh", "full name")),
    Column("dob", gettext_noop("Ngày sinh"), ("ngày tháng năm sinh", "ngày sinh (dd/mm/yyyy)", "date of birth")),
    Column("class_name", gettext_noop("Lớp"), ("tên lớp", "class")),
    Column(
        "code",
        gettext_noop("Mã học sinh"),
        ("mã hs", "mã định danh", "mã định danh bộ gd&đt", "student code"),
        required=False,
    ),
    Column("gender", gettext_noop("Giới tính"), ("gender", "nam/nữ"), required=False),
]

_GENDERS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
_GRADE = re.compile(r"^\s*(\d{1,2})")
_LEVEL_GRADES = {
    Level.TIEU_HOC: range(1, 6),
    Level.THCS: range(6, 10),
    Level.THPT: range(10, 13),
    Level.GDTX: range(6, 13),
}
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - no 0/o, 1/l/i: read aloud from a card
PREPARE_CHUNK = 25


def grade_of(class_name: str) -> int | None:
    match = _GRADE.match(class_name)
    grade = int(match.group(1)) if match else None
    return grade if grade is not None and 1 <= grade <= 12 else None


def school_grades(school) -> set[int]:
    grades = {g for level in school.levels for g in _LEVEL_GRADES.get(level, ())}
    return grades or set(range(1, 13))  # higher-education schools: no grade rule to check


def new_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(8))


def username_base(full_name: str) -> str:
    """ "Nguyễn Văn Đức" -> "ducnv": the given name, then the initials of the other names."""
    words = [re.sub(r"[^a-z0-9]", "", w) for w in search_key(full_name).split()]
    words = [w for w in words if w] or ["hs"]
    return (words[-1] + "".join(w[0] for w in words[:-1]))[:20]


def _parse_row(number, values, school, today, errors):
    full_name = clean_name(cell_text(values.get("full_name")))
    class_name = cell_text(values.get("class_name"))
    code = cell_text(values.get("code"))
    gender_text = search_key(cell_text(values.get("gender")))
    before = len(errors)
    if not full_name:
        errors.append(row_error(number, "Họ và tên", MSG_REQUIRED))
    elif len(full_name) > 120:
        errors.append(row_error(number, "Họ và tên", MSG_TOO_LONG, max=120))
    elif any(ch.isdigit() for ch in full_name):
        errors.append(row_error(number, "Họ và tên", gettext_noop("Họ và tên không được chứa chữ số.")))
    elif not is_person_name(full_name):
        errors.append(
            row_error(
                number,
                "Họ và tên",
                gettext_noop("Họ và tên chỉ gồm chữ cái, dấu cách, dấu gạch nối (-), dấu nháy (') và dấu chấm."),
            )
        )
    dob = cell_date(values.get("dob"))
    if not cell_text(values.get("dob")):
        errors.append(row_error(number, "Ngày sinh", MSG_REQUIRED))
    elif dob is None:
        errors.append(row_error(number, "Ngày sinh", gettext_noop("Ngày sinh phải có dạng dd/mm/yyyy.")))
    elif not (today.year - 30 <= dob.year <= today.year - 4):
        errors.append(row_error(number, "Ngày sinh", gettext_noop("Ngày sinh không hợp lý.")))
    grade = grade_of(class_name)
    if not class_name:
        errors.append(row_error(number, "Lớp", MSG_REQUIRED))
    elif len(class_name) > 40:
        errors.append(row_error(number, "Lớp", MSG_TOO_LONG, max=40))
    elif grade is None:
        errors.append(row_error(number, "Lớp", gettext_noop("Không xác định được khối từ tên lớp (ví dụ 9A1, 12.6).")))
    elif grade not in school_grades(school):
        errors.append(row_error(number, "Lớp", gettext_noop("Trường không có khối %(grade)s."), grade=grade))
    if len(code) > 32:
        errors.append(row_error(number, "Mã học sinh", MSG_TOO_LONG, max=32))
    gender = _GENDERS.get(gender_text, "") if gender_text else ""
    if gender_text and not gender:
        errors.append(row_error(number, "Giới tính", gettext_noop("Giới tính phải là Nam hoặc Nữ.")))
    if len(errors) > before:
        return None
    return {
        "row": number,
        "full_name": full_name,
        "date_of_birth": dob.isoformat(),
        "class_name": class_name,
        "grade": grade,
        "student_code": code,
        "gender": gender,
    }


def plan(sheet, *, actor, school, school_year: str, **_ignored):
    today = timezone.localdate()
    errors: list[dict] = []
    parsed = [p for number, values in sheet.rows if (p := _parse_row(number, values, school, today, errors))]

    seen: dict = {}
    for row in parsed:
        key = (
            ("code", row["student_code"])
            if row["student_code"]
            else ("name", search_key(row["full_name"]), row["date_of_birth"])
        )
        if key in seen:
            column = "Mã học sinh" if row["student_code"] else "Họ và tên"
            errors.append(row_error(row["row"], column, MSG_DUPLICATE, other=seen[key]))
        seen.setdefault(key, row["row"])

    classes = {c.name.upper(): c for c in SchoolClass.objects.filter(school=school, school_year=school_year)}
    students = list(Student.objects.filter(school=school).select_related("school_class", "school"))
    by_code = {s.student_code: s for s in students if s.student_code}
    by_name: dict = {}
    for s in students:
        by_name.setdefault((s.full_name_search, s.date_of_birth.isoformat() if s.date_of_birth else ""), []).append(s)
    coordinates = selectors.user_coordinates_school(actor, school)
    teaches = school.pk in scope_of(actor).teacher_school_ids
    managed = {c.pk for c in selectors.classes_in_scope(actor).filter(school=school)}

    rows = []
    for row in parsed:
        number, existing_class = row["row"], classes.get(row["class_name"].upper())
        if existing_class is not None:
            row["class_name"] = existing_class.name
            if existing_class.grade != row["grade"]:
                errors.append(
                    row_error(
                        number,
                        "Lớp",
                        gettext_noop("Lớp %(name)s đã có, thuộc khối %(grade)s."),
                        name=existing_class.name,
                        grade=existing_class.grade,
                    )
                )
                continue
            if existing_class.pk not in managed:
                errors.append(
                    row_error(
                        number, "Lớp", gettext_noop("Lớp %(name)s không do bạn phụ trách."), name=existing_class.name
                    )
                )
                continue
        elif not (coordinates or teaches):
            errors.append(row_error(number, "Lớp", gettext_noop("Bạn không được tạo lớp ở trường này.")))
            continue
        student = by_code.get(row["student_code"]) if row["student_code"] else None
        if student is None:
            matches = by_name.get((search_key(row["full_name"]), row["date_of_birth"]), [])
            if len(matches) > 1:
                errors.append(
                    row_error(
                        number,
                        "Mã học sinh",
                        gettext_noop("Trường có nhiều học sinh trùng họ tên và ngày sinh: hãy ghi mã học sinh."),
                    )
                )
                continue
            student = matches[0] if matches else None
        if student is not None and not (
            coordinates or student.school_class_id in managed or student.school_class_id is None
        ):
            errors.append(
                row_error(
                    number,
                    "Lớp",
                    gettext_noop("Học sinh này đang ở lớp %(name)s do giáo viên khác phụ trách."),
                    name=student.school_class.name,
                )
            )
            continue
        row["student_id"] = student.pk if student else None
        row["action"] = (
            "create" if student is None else ("unchanged" if _same(student, row, existing_class) else "update")
        )
        rows.append(row)
    return rows, errors


def _same(student: Student, row: dict, school_class) -> bool:
    return (
        student.full_name == row["full_name"]
        and (student.date_of_birth.isoformat() if student.date_of_birth else "") == row["date_of_birth"]
        and school_class is not None
        and student.school_class_id == school_class.pk
        and student.grade == row["grade"]
        and (not row["student_code"] or student.student_code == row["student_code"])
        and (not row["gender"] or student.gender == row["gender"])
    )


def prepare(job) -> None:
    """Choose and hash the card secrets of up to PREPARE_CHUNK new pupils."""
    pending = [r for r in job.rows if r["action"] == "create" and str(r["row"]) not in job.passwords]
    for row in pending[:PREPARE_CHUNK]:
        password = new_password()
        job.passwords[str(row["row"])] = [password, card_hash(password)]
    job.done = sum(1 for r in job.rows if r["action"] == "create" and str(r["row"]) in job.passwords)


def needs_preparing(job) -> bool:
    return any(r["action"] == "create" and str(r["row"]) not in job.passwords for r in job.rows)


def _usernames(bases: list[str]) -> list[str]:
    User = get_user_model()
    taken: dict[str, set[str]] = {}
    out = []
    for base in bases:
        if base not in taken:
            taken[base] = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
        n = 1
        while f"{base}{n}" in taken[base]:
            n += 1
        taken[base].add(f"{base}{n}")
        out.append(f"{base}{n}")
    return out


def commit(job, *, actor):
    """Write the planned roster in the caller's transaction: classes, users, students."""
    school, year = job.school, job.school_year
    teaches = school.pk in scope_of(actor).teacher_school_ids
    classes = {c.name: c for c in SchoolClass.objects.filter(school=school, school_year=year)}
    for row in job.rows:
        if row["class_name"] not in classes:
            created = SchoolClass.objects.create(
                school=school, school_year=year, name=row["class_name"], grade=row["grade"], is_demo=job.is_demo
            )
            if teaches:
                created.teachers.add(actor)  # a teacher's new class is theirs
            classes[created.name] = created
    job.classes.set({classes[r["class_name"]] for r in job.rows})

    creates = [r for r in job.rows if r["action"] == "create"]
    if creates:
        _create_students(job, school, creates, classes)
    updates = [r for r in job.rows if r["action"] == "update"]
    if updates:
        _update_students(updates, classes)


def _create_students(job, school, rows, classes):
    User = get_user_model()
    usernames = _usernames([username_base(r["full_name"]) for r in rows])
    secrets_by_row = {}
    for row in rows:
        secrets_by_row[row["row"]] = job.passwords.get(str(row["row"])) or _fresh_secret()
    User.objects.bulk_create(
        User(username=name, password=secrets_by_row[r["row"]][1]) for name, r in zip(usernames, rows, strict=True)
    )
    users = User.objects.in_bulk(usernames, field_name="username")
    group, _created = Group.objects.get_or_create(name="student")
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users.values()
    )
    Student.objects.bulk_create(
        fill_student_names(
            Student(
                user=users[name],
                school=school,
                school_class=classes[r["class_name"]],
                grade=r["grade"],
                full_name=r["full_name"],
                date_of_birth=r["date_of_birth"],
                student_code=r["student_code"],
                gender=r["gender"],
                initial_password=secrets_by_row[r["row"]][0],
                initial_password_hash=secrets_by_row[r["row"]][1],
                is_demo=job.is_demo,
            )
        )
        for name, r in zip(usernames, rows, strict=True)
    )


def _fresh_secret() -> list[str]:
    password = new_password()
    return [password, card_hash(password)]


def _update_students(rows, classes):
    students = Student.objects.in_bulk([r["student_id"] for r in rows])
    changed = []
    for row in rows:
        student = students[row["student_id"]]
        student.full_name, student.date_of_birth = row["full_name"], row["date_of_birth"]
        student.school_class, student.grade = classes[row["class_name"]], row["grade"]
        if row["student_code"]:
            student.student_code = row["student_code"]
        if row["gender"]:
            student.gender = row["gender"]
        changed.append(fill_student_names(student))
    Student.objects.bulk_update(
        changed,
        [
            "full_name",
            "full_name_search",
            "name_sort",
            "date_of_birth",
            "school_class",
            "grade",
            "student_code",
            "gender",
        ],
    )
