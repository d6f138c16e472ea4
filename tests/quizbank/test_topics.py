"""The seeded topic tree (data migrations 0002/0003)."""

import pytest

from quizbank.models import Topic
from quizbank.selectors import topic_tree
from quizbank.topic_seed import RENAMED, TOPIC_TREE, seed_topics

pytestmark = pytest.mark.django_db

BRANCHES = [
    "chinh-sach-cds",
    "chinh-phu-so",
    "kinh-te-so",
    "xa-hoi-so",
    "cong-nghe-so",
    "ky-nang-so",
    "an-toan-mang",
    "kinh-doanh-so",
]


def test_branches_in_order_with_both_names():
    roots = [t for t, depth in topic_tree() if depth == 0]
    assert [t.slug for t in roots] == BRANCHES
    assert all(t.name_vi and t.name_en for t in Topic.objects.all())


def test_digital_skills_has_the_six_competence_domains_of_circular_02_2025():
    domains = Topic.objects.filter(parent__slug="ky-nang-so").order_by("position")
    assert [t.name_vi for t in domains] == [
        "Khai thác dữ liệu và thông tin",
        "Giao tiếp và hợp tác trong môi trường số",
        "Sáng tạo nội dung số",
        "An toàn",
        "Giải quyết vấn đề",
        "Ứng dụng trí tuệ nhân tạo",
    ]


def test_named_sub_topics_exist():
    children = dict(Topic.objects.filter(parent__isnull=False).values_list("slug", "parent__slug"))
    assert children["dich-vu-cong-truc-tuyen"] == "chinh-phu-so"
    assert children["dinh-danh-dien-tu"] == "chinh-phu-so"
    assert {"thuong-mai-dien-tu", "thanh-toan-so", "kinh-te-nen-tang"} <= {
        s for s, p in children.items() if p == "kinh-te-so"
    }
    assert {"lua-dao-otp", "du-lieu-ca-nhan", "bat-nat-qua-mang", "phap-luat-khong-gian-mang"} <= {
        s for s, p in children.items() if p == "an-toan-mang"
    }


def test_seed_is_idempotent_and_renamed_slugs_are_gone():
    before = Topic.objects.count()
    assert seed_topics(Topic) == 0
    assert Topic.objects.count() == before == len(TOPIC_TREE) + sum(len(c) for *_x, c in TOPIC_TREE)
    assert not Topic.objects.filter(slug__in=list(RENAMED)).exists()


def test_topic_name_follows_the_language():
    from django.utils import translation

    topic = Topic.objects.get(slug="kinh-te-so")
    assert topic.name == "Kinh tế số"
    with translation.override("en"):
        assert topic.name == "Digital economy"
