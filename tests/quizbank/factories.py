"""Question-bank test data, built through the real services."""

from quizbank.models import OwnerKind
from quizbank.scope import Bank
from quizbank.services import question_create

OFFICIAL = Bank("official", "official", OwnerKind.OFFICIAL)


def teacher_bank(user, school=None) -> Bank:
    return Bank("mine", "mine", OwnerKind.TEACHER, school, user)


def school_bank(school) -> Bank:
    return Bank(f"school:{school.pk}", "school", OwnerKind.SCHOOL, school)


def single(stem="Ngày Chuyển đổi số quốc gia là ngày nào?", correct=1, **extra) -> dict:
    texts = ["1/1", "10/10", "2/9", "20/11"]
    return {
        "qtype": "single",
        "stem": stem,
        "choices": [{"id": f"c{i}", "text": t, "correct": i == correct} for i, t in enumerate(texts)],
        **extra,
    }


def multiple(stem="Những mã nào không được chia sẻ cho người khác?", partial=False, weights=None, **extra) -> dict:
    texts = [("Mã OTP", True), ("Mật khẩu", True), ("Tên trường", False), ("Mã PIN thẻ", True)]
    choices = [{"id": f"m{i}", "text": t, "correct": ok} for i, (t, ok) in enumerate(texts)]
    if weights:
        for c, w in zip(choices, weights, strict=True):
            c["weight"] = w
    return {"qtype": "multiple", "stem": stem, "choices": choices, "partial_credit": partial, **extra}


def truefalse(stem="Không bao giờ đọc mã OTP cho người lạ qua điện thoại.", true=True, **extra) -> dict:
    return {
        "qtype": "truefalse",
        "stem": stem,
        "choices": [{"id": "true", "text": "", "correct": true}, {"id": "false", "text": "", "correct": not true}],
        **extra,
    }


def short(accepted=("Hà Nội",), ignore_accents=False, stem="Thủ đô của Việt Nam là gì?", **extra) -> dict:
    return {
        "qtype": "short",
        "stem": stem,
        "answer": {"accepted": list(accepted), "ignore_accents": ignore_accents},
        **extra,
    }


def numeric(value=111, tolerance=0, stem="Số điện thoại Tổng đài quốc gia bảo vệ trẻ em là?", **extra) -> dict:
    return {"qtype": "numeric", "stem": stem, "answer": {"value": value, "tolerance": tolerance}, **extra}


def ordering(stem="Sắp xếp các bước tạo mật khẩu an toàn.", partial=False, **extra) -> dict:
    steps = ["Chọn cụm từ dài", "Thêm số và ký hiệu", "Lưu vào trình quản lý mật khẩu", "Bật xác thực hai lớp"]
    return {
        "qtype": "ordering",
        "stem": stem,
        "choices": [{"id": f"o{i}", "text": t} for i, t in enumerate(steps)],
        "partial_credit": partial,
        **extra,
    }


def make(user=None, content=None, bank=OFFICIAL, **kwargs):
    return question_create(user=user, bank=bank, content=content or single(), **kwargs)
