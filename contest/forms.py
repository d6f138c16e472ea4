"""Page forms of the organiser pages. They only parse input: the rules live in the services,
whose ``ValidationFailed`` errors are put back on the form's fields (``apply_errors``)."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms_scoring import add_scoring_fields, check_scoring, scoring_config, scoring_groups
from contest.models import AttemptsPolicy, PredictionKind, Reveal, Selection, Tiebreak
from contest.scoring import available
from core.widgets import vi_datetime_field
from schools.models import Level, Region


def apply_errors(form: forms.Form, exc) -> None:
    """Attach a service's ``ValidationFailed`` to the form (unknown fields go to the top)."""
    if not exc.fields:
        form.add_error(None, str(exc.message))
    aliases = getattr(form, "error_aliases", {})
    for field, messages in exc.fields.items():
        field = aliases.get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class TiersField(forms.CharField):
    """Prize tiers typed one per line: "Giải Nhất: 1"."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        tiers = []
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            name, _sep, count = line.rpartition(":")
            try:
                tiers.append({"name": name.strip(), "count": int(count.strip())})
            except ValueError:
                raise forms.ValidationError(_("Mỗi dòng dạng “Tên giải: số lượng”, ví dụ “Giải Nhất: 1”.")) from None
        return tiers

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{t['name']}: {t['count']}" for t in value)
        return value


class ContestForm(forms.Form):
    name = forms.CharField(label=_("Tên cuộc thi"), max_length=200)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("Phạm vi (tỉnh hoặc xã/phường)"), queryset=Region.objects.none())
    levels = forms.MultipleChoiceField(
        label=_("Cấp học dự thi"), choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    grades = forms.TypedMultipleChoiceField(
        label=_("Khối lớp (bỏ trống: tất cả)"),
        choices=[(g, str(g)) for g in range(1, 13)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
    )
    opens_at = vi_datetime_field(label=_("Khai mạc"))
    rules = forms.CharField(label=_("Thể lệ"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    tiebreak = forms.ChoiceField(
        label=_("Xếp hạng chung nhiều vòng"),
        help_text=_("Cách xếp những học sinh bằng tổng điểm khi xếp hạng nhiều vòng hoặc cả năm."),
        choices=Tiebreak.choices,
        initial=Tiebreak.PREDICTION,
    )
    individual_prizes = TiersField(label=_("Giải cá nhân (mỗi dòng “Tên giải: số lượng”)"), required=False)
    prize_min_score = forms.CharField(
        label=_("Điểm tối thiểu để đạt giải cá nhân"),
        help_text=_("Không xét giải cho bài dưới mức điểm này. Bỏ trống: mọi bài có điểm."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_prizes = TiersField(label=_("Giải tập thể"), required=False)
    prize_points = forms.CharField(
        label=_("Điểm quy đổi giải (mỗi dòng “Tên giải: điểm”)"),
        help_text=_("Thêm dòng “participation: điểm” để cộng điểm theo tỉ lệ tham gia của đơn vị."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    organiser_name = forms.CharField(
        label=_("Cơ quan tổ chức (in trên giấy chứng nhận)"),
        help_text=_("Ví dụ: Sở Giáo dục và Đào tạo Vĩnh Long."),
        max_length=200,
        required=False,
    )
    issue_place = forms.CharField(
        label=_("Địa danh ghi ngày tháng"), help_text=_("Ví dụ: Vĩnh Long."), max_length=100, required=False
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"), help_text=_("Ví dụ: Trưởng Ban tổ chức."), max_length=150, required=False
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=150, required=False)
    force_password_change = forms.BooleanField(
        label=_("Học sinh phải đổi mật khẩu in trên thẻ khi đăng nhập lần đầu"),
        help_text=_("Học sinh được chuyển tới trang đổi mật khẩu cho tới khi đặt mật khẩu riêng."),
        required=False,
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()

    def clean_prize_min_score(self):
        # Only parsing ("7,5" or "7.5"); the range is the service's rule.
        text = (self.cleaned_data.get("prize_min_score") or "").strip()
        if not text:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise forms.ValidationError(_("Điểm tối thiểu phải là một số.")) from None

    def clean_prize_points(self):
        out = {}
        for line in (self.cleaned_data.get("prize_points") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, points = line.rpartition(":")
            try:
                out[name.strip()] = float(points.strip().replace(",", "."))
            except ValueError:
                raise forms.ValidationError(_("Mỗi dòng dạng “Tên giải: điểm”, ví dụ “Giải Nhất: 10”.")) from None
        return out

    @staticmethod
    def initial_from(contest) -> dict:
        return {
            "name": contest.name,
            "year": contest.year,
            "region": contest.region_id,
            "levels": contest.levels,
            "grades": contest.grades,
            "opens_at": contest.opens_at,
            "rules": contest.rules,
            "tiebreak": contest.tiebreak,
            "force_password_change": contest.force_password_change,
            "individual_prizes": contest.individual_prizes,
            "unit_prizes": contest.unit_prizes,
            "prize_points": "\n".join(f"{k}: {v:g}" for k, v in contest.prize_points.items()),
            "prize_min_score": (
                "" if contest.prize_min_score is None else f"{contest.prize_min_score:g}".replace(".", ",")
            ),
            "organiser_name": contest.organiser_name,
            "issue_place": contest.issue_place,
            "signer_title": contest.signer_title,
            "signer_name": contest.signer_name,
        }


def duration_minutes(duration_s: int):
    """A round's duration as the form shows it: whole minutes as "15", not "15.0"; else to
    two decimals ("1.5" for 90 s)."""
    minutes = Decimal(duration_s) / 60
    return int(minutes) if minutes == int(minutes) else round(minutes, 2)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Tên vòng"), max_length=200)
    opens_at = vi_datetime_field(label=_("Mở lúc"))
    closes_at = vi_datetime_field(label=_("Đóng lúc"))
    duration_min = forms.DecimalField(
        label=_("Thời gian làm bài (phút)"), min_value=0.25, max_value=1440, decimal_places=2
    )
    attempts_policy = forms.ChoiceField(label=_("Số lượt thi"), choices=AttemptsPolicy.choices)
    max_attempts = forms.IntegerField(
        label=_("Số lượt tối đa (khi chọn tối đa N)"), min_value=1, max_value=100, required=False
    )
    selection = forms.ChoiceField(label=_("Chọn câu hỏi"), choices=Selection.choices, widget=forms.RadioSelect)
    draw_spec = forms.CharField(widget=forms.HiddenInput, required=False)
    draw_language = forms.ChoiceField(
        label=_("Ngôn ngữ câu hỏi khi bốc ngẫu nhiên"),
        choices=[("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh")), ("", _("Cả hai"))],
        required=False,
    )
    shuffle_questions = forms.BooleanField(label=_("Trộn thứ tự câu hỏi"), required=False)
    shuffle_choices = forms.BooleanField(label=_("Trộn thứ tự phương án"), required=False)
    scoring_format = forms.ChoiceField(label=_("Cách tính điểm"), choices=[])
    reveal_during = forms.TypedChoiceField(
        label=_("Trong khi làm bài, học sinh thấy"), choices=Reveal.choices, coerce=int
    )
    reveal_after_attempt = forms.TypedChoiceField(label=_("Ngay sau khi nộp bài"), choices=Reveal.choices, coerce=int)
    reveal_after_close = forms.TypedChoiceField(label=_("Sau khi vòng thi đóng"), choices=Reveal.choices, coerce=int)
    prediction_kind = forms.ChoiceField(label=_("Câu hỏi dự đoán"), choices=PredictionKind.choices, required=False)
    prediction_question = forms.IntegerField(
        label=_("Câu số (khi hỏi về một câu được chọn)"), min_value=1, max_value=500, required=False
    )
    practice = forms.BooleanField(label=_("Thi thử (không tính giải)"), required=False)
    board_freeze_at = vi_datetime_field(label=_("Đóng băng bảng xếp hạng lúc (tuỳ chọn)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scoring_format"].choices = [(f.name, f.label) for f in available()]
        # One typed input per option of every scoring format (contest.forms_scoring).
        self.error_aliases: dict = {}
        initial = kwargs.get("initial") or {}
        selected = self.data.get("scoring_format") if self.is_bound else initial.get("scoring_format")
        add_scoring_fields(self, selected=selected, config=initial.get("scoring_config"))

    def clean(self):
        cleaned = super().clean()
        check_scoring(self)
        return cleaned

    def scoring_groups(self) -> list[dict]:
        return scoring_groups(self)

    def clean_draw_spec(self):
        raw = (self.cleaned_data.get("draw_spec") or "").strip()
        if not raw:
            return []
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise forms.ValidationError(_("Quy tắc bốc câu hỏi không hợp lệ.")) from None

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["duration_s"] = round(float(data.pop("duration_min")) * 60)
        data["prediction_kind"] = data.get("prediction_kind") or ""
        data = {k: v for k, v in data.items() if not k.startswith("cfg_")}
        data["scoring_config"] = scoring_config(self)
        return data

    @staticmethod
    def initial_from(round_) -> dict:
        initial = {
            f: getattr(round_, f)
            for f in (
                "name", "opens_at", "closes_at", "attempts_policy", "max_attempts", "selection", "draw_language",
                "shuffle_questions", "shuffle_choices", "scoring_format", "reveal_during", "reveal_after_attempt",
                "reveal_after_close", "prediction_kind", "prediction_question", "practice", "board_freeze_at",
            )
        }  # fmt: skip
        initial["duration_min"] = duration_minutes(round_.duration_s)
        initial["draw_spec"] = json.dumps(round_.draw_spec, ensure_ascii=False)
        initial["scoring_config"] = dict(round_.scoring_config or {})
        return initial


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)
    disqualified = forms.BooleanField(required=False)
