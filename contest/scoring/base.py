"""The interface every scoring format implements.

A format answers three questions, all pure functions of stored values so that re-scoring a
round gives the same numbers (DESIGN invariant 6):

- ``answer_points(ctx)``: the points one graded answer earns;
- ``attempt_score(answers)``: an attempt's score from its answers in question order;
- ``rank_key(standing, final=...)``: the sort key of an attempt in a ranking (ascending).
  ``final=False`` is the live order, which must not use what is known only at close (the
  prediction's actual value).
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import ValidationFailed


@dataclass(frozen=True)
class ConfigField:
    """One configuration value of a format: a number (int or float) or a boolean."""

    name: str
    label: object  # lazy translated
    kind: type  # int, float or bool
    default: object
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class AnswerContext:
    fraction: float  # 0..1 from quizbank.grading
    correct: bool
    elapsed_ms: int  # since the attempt started (window) or the question was shown (live)
    limit_ms: int  # the time available for it


@dataclass(frozen=True)
class Standing:
    score: float
    time_used_ms: int | None
    submitted_at_ms: int | None
    prediction_error: int | None = None


_LAST = 2**62  # sorts missing values last


class ScoringFormat:
    name = ""
    label: object = ""
    description: object = ""
    fields: tuple[ConfigField, ...] = ()
    uses_prediction = False
    # True when ``attempt_score`` is the plain sum of the answers' points (the default), so the
    # write path can apply the difference of one changed answer instead of re-adding them all.
    additive = True

    def __init__(self, config: dict | None = None):
        self.config = self.validate(config or {})

    @classmethod
    def defaults(cls) -> dict:
        return {f.name: f.default for f in cls.fields}

    @classmethod
    def validate(cls, config) -> dict:
        """The normalised config (defaults filled in); ``ValidationFailed`` naming each bad key."""
        if not isinstance(config, dict):
            raise ValidationFailed(
                _("Cấu hình tính điểm phải là một đối tượng JSON."),
                code="bad_scoring_config",
                fields={"scoring_config": [_("Cấu hình tính điểm phải là một đối tượng JSON.")]},
            )
        known = {f.name: f for f in cls.fields}
        errors: dict[str, list] = {}
        for key in config:
            if key not in known:
                errors[key] = [_("Tham số không được hỗ trợ bởi cách tính điểm này.")]
        out = {}
        for f in cls.fields:
            value = config.get(f.name, f.default)
            try:
                out[f.name] = cls._coerce(f, value)
            except ValueError as exc:
                errors[f.name] = [str(exc)]
        if errors:
            raise ValidationFailed(_("Cấu hình tính điểm không hợp lệ."), code="bad_scoring_config", fields=errors)
        cls.check(out)
        return out

    @staticmethod
    def _coerce(f: ConfigField, value):
        if f.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(_("Phải là đúng hoặc sai."))
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(_("Phải là một số."))
        if f.kind is int and value != int(value):
            raise ValueError(_("Phải là một số nguyên."))
        value = f.kind(value)
        if f.minimum is not None and value < f.minimum:
            raise ValueError(_("Phải lớn hơn hoặc bằng %(min)s.") % {"min": f.minimum})
        if f.maximum is not None and value > f.maximum:
            raise ValueError(_("Phải nhỏ hơn hoặc bằng %(max)s.") % {"max": f.maximum})
        return value

    @classmethod
    def check(cls, config: dict) -> None:
        """Cross-field rules; raise ``ValidationFailed``. Override when a format has any."""

    # --- scoring ---------------------------------------------------------------------------
    def answer_points(self, ctx: AnswerContext) -> float:
        raise NotImplementedError

    def attempt_score(self, answers: list[tuple[bool, float] | None]) -> float:
        """``answers``: (correct, points) per question in the attempt's order; None if unanswered."""
        return round(sum(a[1] for a in answers if a is not None), 4)

    def max_score(self, question_count: int) -> float | None:
        return None

    # --- ranking ---------------------------------------------------------------------------
    def rank_key(self, st: Standing, *, final: bool) -> tuple:
        """Default: score desc, time used asc, submit time asc."""
        return (-st.score, or_last(st.time_used_ms), or_last(st.submitted_at_ms))


def or_last(value: int | None) -> int:
    return _LAST if value is None else value
