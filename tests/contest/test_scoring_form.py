"""The scoring format and its options as a typed, translated form, and the round page showing
them in words (issue #11 item 5): no JSON, no parameter names, no raw codes."""

import pytest
from django.utils import translation

from contest.models import Round
from tests.contest import factories as cf

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Tuần tốc độ", "opens_at": "2026-11-30T10:00", "closes_at": "2026-12-07T09:00", "duration_min": "15",
    "attempts_policy": "one", "selection": "random", "draw_count_0": "2", "scoring_format": "speed",
    "reveal_during": "0", "reveal_after_attempt": "1", "reveal_after_close": "4", "draw_language": "vi",
}  # fmt: skip


def test_the_form_has_a_typed_input_per_option_and_no_json(client, w):
    client.force_login(w.organiser)
    html = client.get(f"/contest/manage/contests/{w.contest.pk}/rounds/new/").content.decode()
    assert 'name="scoring_config"' not in html and "JSON" not in html
    assert 'type="number" name="cfg_speed__max_points"' in html and 'value="1000"' in html
    assert 'type="checkbox" name="cfg_contest__partial_credit"' in html
    assert "Điểm tối đa mỗi câu" in html and "max_points" not in html.replace("cfg_speed__max_points", "")


def test_typed_options_are_saved_and_bad_ones_refused_on_their_input(client, w):
    client.force_login(w.organiser)
    url = f"/contest/manage/contests/{w.contest.pk}/rounds/new/"
    bad = client.post(url, {**FORM, "cfg_speed__max_points": "500", "cfg_speed__streak_bonus": "600"})
    assert bad.status_code == 200 and not Round.objects.filter(name="Tuần tốc độ").exists()
    assert "Điểm thưởng chuỗi không được lớn hơn điểm tối đa mỗi câu." in bad.content.decode()
    assert bad.context["form"].errors.get("cfg_speed__streak_bonus")
    out_of_range = client.post(url, {**FORM, "cfg_speed__min_share": "1,5"})
    assert out_of_range.status_code == 200 and not Round.objects.filter(name="Tuần tốc độ").exists()
    client.post(url, {**FORM, "cfg_speed__max_points": "500", "cfg_speed__streak_bonus": "50"})
    r = Round.objects.get(name="Tuần tốc độ")
    assert r.scoring_format == "speed"
    assert r.scoring_config["max_points"] == 500 and r.scoring_config["streak_bonus"] == 50
    # Editing shows the stored values in their inputs.
    html = client.get(f"/contest/manage/rounds/{r.pk}/edit/").content.decode()
    assert 'name="cfg_speed__max_points" value="500"' in html


def test_the_round_page_names_the_format_and_its_options_in_words(client, w):
    r = cf.round_(w, scoring_format="contest", scoring_config={"points_per_question": 10, "partial_credit": False})
    client.force_login(w.organiser)
    html = client.get(f"/contest/manage/rounds/{r.pk}/").content.decode()
    assert "Cuộc thi (điểm, dự đoán, thời gian) · Điểm mỗi câu: 10 · Tính điểm từng phần: Không" in html
    assert "points_per_question" not in html and "{&#x27;" not in html
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = client.get(f"/contest/manage/rounds/{r.pk}/").content.decode()
    assert "Points per question: 10" in html
