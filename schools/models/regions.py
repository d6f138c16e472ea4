"""Administrative units and schools, as Vietnamese education is organised since 1 July 2025.

Two levels of local government (province, commune) with the codes of Decision 19/2025/QĐ-TTg:
2 digits for a province, 5 for a commune. There is no district level any more; a region may
carry a legacy label ("former Bến Tre") so results can be compared with older data.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    COMMUNE = "commune", _("Xã/phường/đặc khu")


class Level(models.TextChoices):
    TIEU_HOC = "tieu_hoc", _("Tiểu học")
    THCS = "thcs", _("THCS")
    THPT = "thpt", _("THPT")
    GDTX = "gdtx", _("GDTX")
    TRUNG_CAP = "trung_cap", _("Trung cấp")
    CAO_DANG = "cao_dang", _("Cao đẳng")
    DAI_HOC = "dai_hoc", _("Đại học")


# The general-education level a grade belongs to (Education Law 2019, art. 28).
GRADE_LEVEL = dict.fromkeys(range(1, 6), Level.TIEU_HOC) | dict.fromkeys(range(6, 10), Level.THCS)
GRADE_LEVEL |= dict.fromkeys(range(10, 13), Level.THPT)


class Region(models.Model):
    code = models.CharField(_("mã"), max_length=5, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_search = models.CharField(max_length=120, db_index=True, editable=False, default="")
    kind = models.CharField(_("cấp"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    legacy_label = models.CharField(_("đơn vị cũ"), max_length=120, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_code_matches_kind",
                condition=(Q(kind="province", parent__isnull=True) & Q(code__regex=r"^[0-9]{2}$"))
                | (Q(kind="commune", parent__isnull=False) & Q(code__regex=r"^[0-9]{5}$")),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def province(self) -> "Region":
        return self if self.parent_id is None else self.parent


class School(models.Model):
    code = models.CharField(_("mã trường"), max_length=32, unique=True)
    name = models.CharField(_("tên trường"), max_length=200)  # not unique: mergers repeat names
    name_search = models.CharField(max_length=200, db_index=True, editable=False, default="")
    levels = models.JSONField(_("cấp học"), default=list)
    commune = models.ForeignKey(Region, verbose_name=_("xã/phường"), on_delete=models.PROTECT, related_name="schools")
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("trường")
        verbose_name_plural = _("trường")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def level_labels(self) -> list[str]:
        return [str(Level(code).label) for code in self.levels if code in Level.values]


class Enrolment(models.Model):
    """How many pupils a school has, per level and (for general education) per grade.

    Participation rates divide participants by these counts. A row with ``grade`` null counts a
    level without grades (trung cấp, cao đẳng, đại học) or a level given only as a total.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrolments")
    level = models.CharField(_("cấp học"), max_length=10, choices=Level.choices)
    grade = models.PositiveSmallIntegerField(_("khối"), null=True, blank=True)
    count = models.PositiveIntegerField(_("sĩ số"))

    class Meta:
        verbose_name = _("sĩ số")
        verbose_name_plural = _("sĩ số")
        ordering = ["school", "level", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["school", "level", "grade"], name="enrolment_unique_grade"),
            models.UniqueConstraint(
                fields=["school", "level"], condition=Q(grade__isnull=True), name="enrolment_unique_level"
            ),
            models.CheckConstraint(
                name="enrolment_grade_range", condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=12)
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.level} {self.grade or ''}: {self.count}"
