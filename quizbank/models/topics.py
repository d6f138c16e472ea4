from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A node of the topic tree (national framework branches and their sub-topics)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("Chủ đề cha")
    )
    slug = models.SlugField(max_length=80, unique=True)
    name_vi = models.CharField(_("Tên (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("Tên (tiếng Anh)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("Chủ đề")
        verbose_name_plural = _("Chủ đề")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (English only when the page is in English)."""
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi

    def path(self) -> list["Topic"]:
        """Ancestors from the root down to this topic (one query per level; trees are shallow)."""
        nodes = [self]
        while nodes[0].parent_id is not None:
            nodes.insert(0, nodes[0].parent)
        return nodes
