"""Formats by name. A round stores the name and a JSON config the format validated."""

from django.utils.translation import gettext as _

from core.errors import ValidationFailed

_formats: dict = {}


def register(cls):
    """Class decorator: make a ``ScoringFormat`` subclass available under ``cls.name``."""
    if not cls.name:
        raise ValueError("a scoring format needs a name")
    _formats[cls.name] = cls
    return cls


def available() -> list:
    return list(_formats.values())


def get_format(name: str):
    try:
        return _formats[name]
    except KeyError:
        raise ValidationFailed(
            _("Cách tính điểm “%(name)s” không tồn tại.") % {"name": name},
            code="unknown_format",
            fields={"scoring_format": [_("Cách tính điểm không tồn tại.")]},
        ) from None


def format_for(round_):
    """The configured format instance of a round."""
    return get_format(round_.scoring_format)(round_.scoring_config)
