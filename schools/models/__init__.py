from schools.models.imports import ImportJob, ImportKind
from schools.models.people import (
    ConsentRecord,
    ConsentSource,
    Gender,
    Membership,
    MembershipRole,
    SchoolClass,
    Student,
    StudentStatus,
)
from schools.models.regions import GRADE_LEVEL, Enrolment, Level, Region, RegionKind, School

__all__ = [
    "GRADE_LEVEL",
    "ConsentRecord",
    "ConsentSource",
    "Enrolment",
    "Gender",
    "ImportJob",
    "ImportKind",
    "Level",
    "Membership",
    "MembershipRole",
    "Region",
    "RegionKind",
    "School",
    "SchoolClass",
    "Student",
    "StudentStatus",
]
