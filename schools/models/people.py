"""Classes, students and the role memberships that scope what staff may touch."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models.regions import Region, School


class SchoolClass(models.Model):
    school = models.ForeignKey(School, verbose_name=_("trường"), on_delete=models.CASCADE, related_name="classes")
    school_year = models.CharField(_("năm học"), max_length=9)  # "2026-2027"
    grade = models.PositiveSmallIntegerField(_("khối"))
    name = models.CharField(_("tên lớp"), max_length=40)  # free text: "9A1", "12.6"
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("giáo viên"), blank=True, related_name="taught_classes"
    )
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["school", "-school_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="class_unique_name"),
            models.CheckConstraint(name="class_grade_range", condition=Q(grade__gte=1, grade__lte=12)),
            models.CheckConstraint(
                name="class_school_year_format", condition=Q(school_year__regex=r"^[0-9]{4}-[0-9]{4}$")
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"


class StudentStatus(models.TextChoices):
    VERIFIED = "verified", _("Đã xác minh")
    PENDING = "pending", _("Chờ xác minh")
    REJECTED = "rejected", _("Bị từ chối")


class Gender(models.TextChoices):
    FEMALE = "nu", _("Nữ")
    MALE = "nam", _("Nam")


class Student(models.Model):
    """A pupil's school record. Holds the minimum the contests need (Law 91/2025/QH15).

    ``consent_student`` / ``consent_guardian`` record consent to processing the pupil's data for
    contests; ``publish_name`` is the separate choice to show the full name on public pages.
    ``initial_password`` is kept only to print login cards; ``initial_password_hash`` lets the
    card say "changed" once the pupil has set their own password.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student")
    school = models.ForeignKey(School, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("lớp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
    )
    grade = models.PositiveSmallIntegerField(_("khối"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    full_name_search = models.CharField(max_length=120, db_index=True, editable=False, default="")
    # Vietnamese class-list order as a plain string (given name first), so the database can
    # ORDER BY it on SQLite and PostgreSQL alike. Filled by the services from name_sort_key.
    name_sort = models.CharField(max_length=400, db_index=True, editable=False, default="")
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    student_code = models.CharField(_("mã học sinh"), max_length=32, blank=True)
    gender = models.CharField(_("giới tính"), max_length=3, choices=Gender.choices, blank=True)
    consent_student = models.BooleanField(_("học sinh đồng ý"), default=False)
    consent_guardian = models.BooleanField(_("cha mẹ/người giám hộ đồng ý"), default=False)
    publish_name = models.BooleanField(_("cho phép công bố họ tên"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # Who recorded the current consent state: the pupil at self-registration, or a staff member
    # from the paper form. The history is in ConsentRecord.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=StudentStatus.choices, default=StudentStatus.VERIFIED
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    initial_password = models.CharField(max_length=32, blank=True)
    initial_password_hash = models.CharField(max_length=128, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")
        ordering = ["name_sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_code"], condition=~Q(student_code=""), name="student_unique_code"
            ),
            models.CheckConstraint(name="student_grade_range", condition=Q(grade__gte=1, grade__lte=12)),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_verified(self) -> bool:
        return self.status == StudentStatus.VERIFIED


class MembershipRole(models.TextChoices):
    ORGANISER = "organiser", _("Ban tổ chức")
    COORDINATOR = "coordinator", _("Điều phối trường")
    TEACHER = "teacher", _("Giáo viên")


class Membership(models.Model):
    """A staff role held over one school (coordinator, teacher) or one region (organiser).

    The role's Django group (``core.roles``) says what kind of pages a user sees; the
    memberships say which objects they may touch.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_memberships")
    role = models.CharField(_("vai trò"), max_length=12, choices=MembershipRole.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(Q(role="organiser", region__isnull=False, school__isnull=True))
                | (Q(role__in=["coordinator", "teacher"], school__isnull=False, region__isnull=True)),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"], condition=Q(school__isnull=False), name="membership_unique_school"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False), name="membership_unique_region"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.role} {self.school_id or self.region_id}"


class ConsentSource(models.TextChoices):
    SELF = "self", _("Học sinh tự đăng ký")
    STAFF = "staff", _("Nhà trường ghi nhận")


class ConsentRecord(models.Model):
    """One recording of a pupil's consents, append-only: who recorded what, and when.

    The pupil's current state is on ``Student`` (the latest record); these rows are the trail a
    school shows when asked who recorded a consent (Decree 13/2023, Law 91/2025/QH15).
    """

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="consent_records")
    consent_student = models.BooleanField(_("học sinh đồng ý"))
    consent_guardian = models.BooleanField(_("cha mẹ/người giám hộ đồng ý"))
    publish_name = models.BooleanField(_("cho phép công bố họ tên"))
    source = models.CharField(max_length=8, choices=ConsentSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ghi nhận đồng ý")
        verbose_name_plural = _("ghi nhận đồng ý")
        ordering = ["student", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["student", "-recorded_at"], name="consent_student_recent")]

    def __str__(self):
        return f"{self.student_id} {self.consent_student}/{self.consent_guardian} {self.recorded_at:%Y-%m-%d}"
