"""Demo data: one province, a few communes, 8 schools, ~40 classes of generated pupils.

Everything here is marked ``is_demo``. The province code 86 is the new Vĩnh Long's code in
Decision 19/2025/QĐ-TTg as reported by public code lists (see docs/schools.md); the commune
codes (999xx) are deliberately outside the official range, since the official commune list is
not bundled. Idempotent: classes that already have pupils are left alone.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from core.hashers import card_hash
from core.text import slugify_vi
from schools import selectors, services
from schools.models import ConsentRecord, ConsentSource, MembershipRole, SchoolClass, Student, StudentStatus
from schools.services import fill_student_names

PROVINCE = ("86", "Vĩnh Long")
COMMUNES = [
    ("99901", "Phường Thanh Đức", "TP Vĩnh Long cũ"),
    ("99902", "Xã Long Hồ", "Vĩnh Long cũ"),
    ("99903", "Phường An Hội", "Bến Tre cũ"),
    ("99904", "Xã Càng Long", "Trà Vinh cũ"),
]
# code, name, levels, commune, classes (name, grade)
SCHOOLS = [
    (
        "DEMO-86-001",
        "Trường THCS Nguyễn Trường Tộ",
        ["thcs"],
        "99901",
        [("6A1", 6), ("7A1", 7), ("8A1", 8), ("9A1", 9), ("9A2", 9)],
    ),
    (
        "DEMO-86-002",
        "Trường Tiểu học Lê Lợi",
        ["tieu_hoc"],
        "99901",
        [("1A", 1), ("2A", 2), ("3A", 3), ("4A", 4), ("5A", 5), ("5B", 5)],
    ),
    (
        "DEMO-86-003",
        "Trường THPT Lưu Văn Liệt",
        ["thpt"],
        "99901",
        [("10A1", 10), ("10A2", 10), ("11A1", 11), ("12A1", 12), ("12A2", 12)],
    ),
    (
        "DEMO-86-004",
        "Trường TH&THCS Long Hồ",
        ["tieu_hoc", "thcs"],
        "99902",
        [("4A", 4), ("5A", 5), ("6A", 6), ("7A", 7), ("8A", 8), ("9A", 9)],
    ),
    ("DEMO-86-005", "Trường THCS An Hội", ["thcs"], "99903", [("6.1", 6), ("7.1", 7), ("8.1", 8), ("9.1", 9)]),
    (
        "DEMO-86-006",
        "Trường THPT Chuyên Bến Tre",
        ["thpt"],
        "99903",
        [("10 Tin", 10), ("11 Tin", 11), ("12 Tin", 12), ("12 Toán", 12)],
    ),
    ("DEMO-86-007", "Trung tâm GDNN-GDTX Càng Long", ["gdtx"], "99904", [("10G1", 10), ("11G1", 11), ("12G1", 12)]),
    (
        "DEMO-86-008",
        "Trường THPT Càng Long",
        ["thpt"],
        "99904",
        [("10A1", 10), ("10A3", 10), ("11A2", 11), ("11A5", 11), ("12A1", 12), ("12A4", 12), ("12A6", 12)],
    ),
]
PUPILS_PER_CLASS = 20
# Pupils of each class whose consent form the school has not recorded yet.
FORMS_MISSING = 3
TEACHER_CLASSES = ("9A1", "9A2")  # giaovien's classes at the first school

FAMILY = (
    ["Nguyễn"] * 6
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Thạch", "Châu"]
)
MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu", "Gia", "Đức", "Hoàng", "Thanh", "Tấn", "Nhật"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Bảo", "Khánh", "Thanh", "Mỹ", "Kim", "Hoài", "Phương"]
GIVEN_M = [
    "An",
    "Bảo",
    "Cường",
    "Danh",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Huy",
    "Khang",
    "Khoa",
    "Kiệt",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phát",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thịnh",
    "Toàn",
    "Trí",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Ánh",
    "Bích",
    "Châu",
    "Chi",
    "Diệp",
    "Duyên",
    "Giang",
    "Hà",
    "Hân",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "My",
    "Ngân",
    "Nhi",
    "Như",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Trâm",
    "Uyên",
    "Vy",
    "Yến",
]


def _name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}", "nam"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}", "nu"


def _birth_date(rng: random.Random, grade: int, year_start: int) -> datetime.date:
    # A pupil in grade g during year Y-Y+1 was born in Y - 5 - g.
    return datetime.date(year_start - 5 - grade, rng.randint(1, 12), rng.randint(1, 28))


def _pupils(rng, school, school_class, school_no, year_start, password_hash):
    User = get_user_model()
    # Usernames derive from the school and class, so adding a class never renames others.
    prefix = f"hs{school_no}-{slugify_vi(school_class.name)}-"
    rows = []
    for n in range(1, PUPILS_PER_CLASS + 1):
        name, gender = _name(rng)
        rows.append((f"{prefix}{n:02d}", name, gender))
    User.objects.bulk_create(User(username=u, password=password_hash) for u, _n, _g in rows)
    users = User.objects.in_bulk([u for u, _n, _g in rows], field_name="username")
    group = Group.objects.get(name="student")
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users.values()
    )
    consenting = rng.random()
    recorded_at = _consent_day(year_start)
    students = Student.objects.bulk_create(
        fill_student_names(
            Student(
                user=users[u],
                school=school,
                school_class=school_class,
                grade=school_class.grade,
                full_name=name,
                gender=gender,
                date_of_birth=_birth_date(rng, school_class.grade, year_start),
                student_code=f"{u.upper()}",
                consent_student=True,
                consent_guardian=rng.random() < consenting,
                publish_name=rng.random() < 0.8,
                initial_password=DEMO_PASSWORD,
                initial_password_hash=password_hash,
                # The last few of each class have not brought their form back yet.
                consent_recorded_at=recorded_at if i <= PUPILS_PER_CLASS - FORMS_MISSING else None,
                is_demo=True,
            )
        )
        for i, (u, name, gender) in enumerate(rows, start=1)
    )
    _consent_history([s for s in students if s.consent_recorded_at is not None])


def _consent_day(year_start: int) -> datetime.datetime:
    """The school collected the paper consent forms in the second week of September."""
    return datetime.datetime(year_start, 9, 10, 8, 0, tzinfo=timezone.get_current_timezone())


def _consent_history(students) -> None:
    """A demo pupil's consent as the school recorded it from the paper form, so the pupil's
    page and the consent export show a history as they do for real pupils."""
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            student=s,
            consent_student=s.consent_student,
            consent_guardian=s.consent_guardian,
            publish_name=s.publish_name,
            source=ConsentSource.STAFF,
            recorded_at=s.consent_recorded_at,
        )
        for s in students
    )


@transaction.atomic
def seed(out) -> None:
    rng = random.Random(2026)  # the same names on every machine
    year = selectors.current_school_year()
    year_start = int(year[:4])
    password_hash = card_hash(DEMO_PASSWORD)  # hashed once: 800 pupils share it
    Group.objects.get_or_create(name="student")
    province = services.region_upsert(code=PROVINCE[0], name=PROVINCE[1], kind="province", is_demo=True)
    communes = {
        code: services.region_upsert(
            code=code, name=name, kind="commune", parent=province, legacy_label=legacy, is_demo=True
        )
        for code, name, legacy in COMMUNES
    }
    schools = []
    created = 0
    for school_no, (code, name, levels, commune, classes) in enumerate(SCHOOLS, start=1):
        grades = sorted({g for _c, g in classes})
        enrolment = {g: rng.randint(140, 260) for g in grades}
        school = services.school_upsert(
            code=code, name=name, levels=levels, commune=communes[commune], enrolment=enrolment, is_demo=True
        )
        schools.append(school)
        for class_name, grade in classes:
            school_class = services.class_get_or_create(
                school=school, school_year=year, name=class_name, grade=grade, is_demo=True
            )
            if not school_class.students.exists():
                _pupils(rng, school, school_class, school_no, year_start, password_hash)
                created += PUPILS_PER_CLASS
    _link_demo_accounts(province, schools[0], year, year_start)
    out.write(
        f"  schools: {len(schools)} schools, {SchoolClass.objects.filter(is_demo=True).count()} classes, "
        f"{created} new pupils\n"
    )


def _link_demo_accounts(province, school, year, year_start) -> None:
    """bantochuc organises the province; dieuphoi coordinates and giaovien teaches at the first school;
    hocsinh is a pupil of giaovien's first class."""
    User = get_user_model()
    accounts = User.objects.in_bulk(["bantochuc", "dieuphoi", "giaovien", "hocsinh"], field_name="username")
    if "bantochuc" in accounts:
        services.membership_grant(
            user=accounts["bantochuc"], role=MembershipRole.ORGANISER, region=province, is_demo=True
        )
    if "dieuphoi" in accounts:
        services.membership_grant(
            user=accounts["dieuphoi"], role=MembershipRole.COORDINATOR, school=school, is_demo=True
        )
    classes = {c.name: c for c in SchoolClass.objects.filter(school=school, school_year=year)}
    if "giaovien" in accounts:
        for name in TEACHER_CLASSES:
            services.class_assign_teacher(school_class=classes[name], teacher=accounts["giaovien"])
    if "hocsinh" in accounts and not Student.objects.filter(user=accounts["hocsinh"]).exists():
        student = Student(
            user=accounts["hocsinh"],
            school=school,
            school_class=classes[TEACHER_CLASSES[0]],
            grade=9,
            full_name="Nguyễn Minh Khang",
            gender="nam",
            date_of_birth=datetime.date(year_start - 14, 9, 2),
            consent_student=True,
            consent_guardian=True,
            publish_name=True,
            status=StudentStatus.VERIFIED,
            consent_recorded_at=_consent_day(year_start),
            is_demo=True,
        )
        fill_student_names(student).save()
        _consent_history([student])
    _pending_registrations(school, classes[TEACHER_CLASSES[0]], year_start)


def _pending_registrations(school, school_class, year_start) -> None:
    """Two self-registrations awaiting the coordinator, so the school page has something to verify."""
    for username, name in (("dangky1", "Trần Ngọc Hân"), ("dangky2", "Lê Quốc Bảo")):
        if get_user_model().objects.filter(username=username).exists():
            continue
        services.student_create(
            username=username,
            password=None,
            school=school,
            school_class=school_class,
            grade=school_class.grade,
            full_name=name,
            date_of_birth=datetime.date(year_start - 14, 3, 15),
            consent_student=True,
            consent_guardian=True,
            status=StudentStatus.PENDING,
            is_demo=True,
        )
