"""The "new live game" form: parses the page's fields; the rules live in the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from live.models import GameMode, TeamMode
from live.services.games import MAX_AUTO_S, MAX_LIMIT_S, MAX_RESCUES, MIN_LIMIT_S


class GameForm(forms.Form):
    name = forms.CharField(label=_("Tên trò chơi"), max_length=200)
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, empty_label=None)
    mode = forms.ChoiceField(label=_("Kiểu chơi"), choices=GameMode.choices, widget=forms.RadioSelect)
    time_limit_s = forms.IntegerField(
        label=_("Thời gian mỗi câu (giây)"), min_value=MIN_LIMIT_S, max_value=MAX_LIMIT_S, initial=20
    )
    questions = forms.TypedMultipleChoiceField(label=_("Câu hỏi"), coerce=int, choices=())
    team_mode = forms.ChoiceField(label=_("Chia đội"), choices=TeamMode.choices, required=False)
    team_count = forms.IntegerField(label=_("Số nhóm"), min_value=2, max_value=8, initial=2, required=False)
    roster_classes = forms.TypedMultipleChoiceField(
        label=_("Lớp điểm danh (học sinh chọn tên mình)"), coerce=int, choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    team_classes = forms.TypedMultipleChoiceField(
        label=_("Các lớp thi đấu (theo lớp)"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    auto_advance_s = forms.IntegerField(
        label=_("Tự chuyển tiếp sau (giây, 0 = người dẫn bấm)"), min_value=0, max_value=MAX_AUTO_S, initial=0
    )
    rescues = forms.IntegerField(
        label=_("Số lần cứu trợ (Rung chuông vàng)"), min_value=0, max_value=MAX_RESCUES, initial=1
    )
    shuffle_questions = forms.BooleanField(label=_("Trộn thứ tự câu hỏi"), required=False)
    shuffle_choices = forms.BooleanField(label=_("Trộn thứ tự phương án"), required=False, initial=True)

    def __init__(self, *args, schools, questions, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["questions"].choices = [(q.pk, q.pk) for q in questions]
        class_choices = [(c.pk, f"{c.name} ({c.school_year})") for c in classes]
        self.fields["roster_classes"].choices = class_choices
        self.fields["team_classes"].choices = class_choices

    def options(self) -> dict:
        data = dict(self.cleaned_data)
        data["team_mode"] = data.get("team_mode") or ""
        data["team_count"] = data.get("team_count") or 2
        return {k: v for k, v in data.items() if k not in ("name", "school", "questions")}
