"""The form of a teacher's class round: what a teacher chooses; the rest is fixed
(``services.class_rounds.CLASS_ROUND_FIXED``) and the rules live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import duration_minutes
from contest.models import AttemptsPolicy, Reveal
from core.widgets import vi_datetime_field


class ClassRoundForm(forms.Form):
    # The services name the duration in seconds; the form asks for minutes.
    error_aliases = {"duration_s": "duration_min"}

    name = forms.CharField(label=_("Tên bài"), max_length=200)
    classes = forms.TypedMultipleChoiceField(
        label=_("Giao cho lớp"), coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )
    opens_at = vi_datetime_field(label=_("Mở lúc"))
    closes_at = vi_datetime_field(label=_("Hạn chót"))
    duration_min = forms.DecimalField(
        label=_("Thời gian làm bài (phút)"), min_value=0.25, max_value=1440, decimal_places=2
    )
    attempts_policy = forms.ChoiceField(label=_("Số lượt làm"), choices=AttemptsPolicy.choices)
    max_attempts = forms.IntegerField(
        label=_("Số lượt tối đa (khi chọn tối đa N)"), min_value=1, max_value=100, required=False
    )
    shuffle_questions = forms.BooleanField(label=_("Trộn thứ tự câu hỏi"), required=False)
    shuffle_choices = forms.BooleanField(label=_("Trộn thứ tự phương án"), required=False)
    reveal_after_attempt = forms.TypedChoiceField(label=_("Ngay sau khi nộp bài"), choices=Reveal.choices, coerce=int)
    reveal_after_close = forms.TypedChoiceField(label=_("Sau hạn chót"), choices=Reveal.choices, coerce=int)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].choices = [(c.pk, f"{c.name} ({c.school_year})") for c in classes]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "class_ids": data["classes"],
            "name": data["name"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "duration_s": int(data["duration_min"] * 60),
            "attempts_policy": data["attempts_policy"],
            "max_attempts": data.get("max_attempts"),
            "shuffle_questions": data["shuffle_questions"],
            "shuffle_choices": data["shuffle_choices"],
            "scoring_format": "contest",
            "scoring_config": {},
            "reveal_after_attempt": data["reveal_after_attempt"],
            "reveal_after_close": data["reveal_after_close"],
        }

    @staticmethod
    def initial_from(round_) -> dict:
        return {
            "name": round_.name,
            "classes": [c.pk for c in round_.classes.all()],
            "opens_at": round_.opens_at,
            "closes_at": round_.closes_at,
            "duration_min": duration_minutes(round_.duration_s),
            "attempts_policy": round_.attempts_policy,
            "max_attempts": round_.max_attempts,
            "shuffle_questions": round_.shuffle_questions,
            "shuffle_choices": round_.shuffle_choices,
            "reveal_after_attempt": round_.reveal_after_attempt,
            "reveal_after_close": round_.reveal_after_close,
        }

    def values_for(self, round_) -> dict:
        """``service_values`` for an edit of ``round_``: a time or duration shown at the form's
        precision (minutes, hundredths of a minute) and sent back unchanged keeps the round's
        exact value, so saving other settings never reads as a change of the paper's clock."""
        values = self.service_values()
        for key in ("opens_at", "closes_at"):
            if values[key] == getattr(round_, key).replace(second=0, microsecond=0):
                values[key] = getattr(round_, key)
        if self.cleaned_data["duration_min"] == round(Decimal(round_.duration_s) / 60, 2):
            values["duration_s"] = round_.duration_s
        return values
