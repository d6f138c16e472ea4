"""Build schools data through the real services."""

import itertools

from django.contrib.auth import get_user_model

from schools import services

_seq = itertools.count(1)


def province(code="86", name="Vĩnh Long"):
    return services.region_upsert(code=code, name=name, kind="province")


def commune(province_region, code=None, name=None):
    n = next(_seq)
    return services.region_upsert(
        code=code or f"9{n:04d}", name=name or f"Xã Thử {n}", kind="commune", parent=province_region
    )


def school(commune_region, code=None, name=None, levels=("thcs",), enrolment=None):
    n = next(_seq)
    return services.school_upsert(
        code=code or f"T{n:05d}",
        name=name or f"Trường THCS Thử {n}",
        levels=list(levels),
        commune=commune_region,
        enrolment=enrolment,
    )


def klass(school_obj, name="9A1", grade=9, year="2026-2027", teacher=None):
    return services.class_get_or_create(school=school_obj, school_year=year, name=name, grade=grade, teacher=teacher)


PASSWORD = "pw-12345678"


def user(username=None, password=PASSWORD):
    User = get_user_model()
    u = User(username=username or f"user{next(_seq)}")
    u.set_password(password)
    u.save()
    return u


def staff(role, *, school_obj=None, region=None, username=None):
    u = user(username)
    services.membership_grant(user=u, role=role, school=school_obj, region=region)
    return u


def student(school_obj, school_class=None, full_name="Nguyễn Văn An", username=None, **kwargs):
    return services.student_create(
        username=username or f"hs{next(_seq)}",
        password=PASSWORD,
        school=school_obj,
        school_class=school_class,
        grade=school_class.grade if school_class else kwargs.pop("grade", 9),
        full_name=full_name,
        **kwargs,
    )
