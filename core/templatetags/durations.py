"""``{{ seconds|duration }}``: a length of time as a person reads it.

Under a minute it is seconds ("30 giây", never "0 phút"); whole minutes are minutes; anything
else is minutes and seconds ("1 phút 30 giây"); an hour or more names the hours.
"""

from django import template
from django.utils.translation import ngettext

register = template.Library()


def duration_text(seconds) -> str:
    if seconds is None or seconds == "":
        return ""
    total = max(0, round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s giờ", "%(n)s giờ", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)s phút", "%(n)s phút", minutes) % {"n": minutes})
    if secs or not parts:
        parts.append(ngettext("%(n)s giây", "%(n)s giây", secs) % {"n": secs})
    return " ".join(parts)


@register.filter
def duration(seconds) -> str:
    return duration_text(seconds)
