"""The seeded topic tree: the national framework's branches (DESIGN "Topic").

Slugs are stable identifiers (the demo bank and imports refer to them); names may be edited.
The six sub-topics of "ky-nang-so" ("ky-nang-so-*") are the six domains of the learners' digital competence
framework, Circular 02/2025/TT-BGDĐT (24 January 2025).
"""

# (slug, name_vi, name_en, children)
TOPIC_TREE = [
    ("chinh-sach-cds", "Chính sách chuyển đổi số", "Digital transformation policy", []),
    (
        "chinh-phu-so",
        "Chính phủ số",
        "Digital government",
        [
            ("dich-vu-cong-truc-tuyen", "Dịch vụ công trực tuyến", "Online public services"),
            ("dinh-danh-dien-tu", "Định danh điện tử", "Electronic identification (e-ID)"),
        ],
    ),
    (
        "kinh-te-so",
        "Kinh tế số",
        "Digital economy",
        [
            ("thuong-mai-dien-tu", "Thương mại điện tử", "E-commerce"),
            ("thanh-toan-so", "Thanh toán số", "Digital payments"),
            ("kinh-te-nen-tang", "Kinh tế nền tảng", "Platform economy"),
        ],
    ),
    (
        "xa-hoi-so",
        "Xã hội số",
        "Digital society",
        [
            ("cong-dan-so", "Công dân số", "Digital citizenship"),
            ("binh-dan-hoc-vu-so", "Phong trào “Bình dân học vụ số”", "The mass digital-literacy movement"),
        ],
    ),
    (
        "cong-nghe-so",
        "Công nghệ số",
        "Digital technologies",
        [
            ("tri-tue-nhan-tao", "Trí tuệ nhân tạo (AI)", "Artificial intelligence (AI)"),
            ("dien-toan-dam-may", "Điện toán đám mây", "Cloud computing"),
            ("du-lieu", "Dữ liệu", "Data"),
            ("internet-van-vat", "Internet vạn vật (IoT)", "Internet of Things (IoT)"),
        ],
    ),
    (
        "ky-nang-so",
        "Kỹ năng số",
        "Digital skills",
        [
            ("ky-nang-so-du-lieu", "Khai thác dữ liệu và thông tin", "Information and data literacy"),
            (
                "ky-nang-so-giao-tiep",
                "Giao tiếp và hợp tác trong môi trường số",
                "Communication and collaboration in the digital environment",
            ),
            ("ky-nang-so-noi-dung", "Sáng tạo nội dung số", "Digital content creation"),
            ("ky-nang-so-an-toan", "An toàn", "Safety"),
            ("ky-nang-so-giai-quyet-van-de", "Giải quyết vấn đề", "Problem solving"),
            ("ky-nang-so-ai", "Ứng dụng trí tuệ nhân tạo", "Application of artificial intelligence"),
        ],
    ),
    (
        "an-toan-mang",
        "An toàn trên không gian mạng",
        "Online safety",
        [
            ("lua-dao-otp", "Lừa đảo trực tuyến và mã OTP", "Online scams and OTP codes"),
            ("du-lieu-ca-nhan", "Bảo vệ dữ liệu cá nhân", "Personal data protection"),
            ("bat-nat-qua-mang", "Bắt nạt trên mạng và an sinh số", "Cyberbullying and digital well-being"),
            ("phap-luat-khong-gian-mang", "Pháp luật về không gian mạng", "Law on cyberspace"),
        ],
    ),
    ("kinh-doanh-so", "Kỹ năng kinh doanh số", "Digital business skills", []),
]


# Slugs renamed after the first seed, to the names the demo bank uses (migration 0003).
RENAMED = {
    "chinh-sach-chuyen-doi-so": "chinh-sach-cds",
    "an-toan-tren-mang": "an-toan-mang",
    "ky-nang-kinh-doanh-so": "kinh-doanh-so",
    "nls-khai-thac-du-lieu": "ky-nang-so-du-lieu",
    "nls-giao-tiep-hop-tac": "ky-nang-so-giao-tiep",
    "nls-sang-tao-noi-dung": "ky-nang-so-noi-dung",
    "nls-an-toan": "ky-nang-so-an-toan",
    "nls-giai-quyet-van-de": "ky-nang-so-giai-quyet-van-de",
    "nls-ung-dung-ai": "ky-nang-so-ai",
}


def seed_topics(Topic) -> int:  # noqa: N803 - the historical model class, passed by the migration
    """Create the missing topics of TOPIC_TREE (idempotent). Returns how many were created."""
    created = 0
    for pos, (slug, vi, en, children) in enumerate(TOPIC_TREE, start=1):
        parent, made = Topic.objects.get_or_create(slug=slug, defaults={"name_vi": vi, "name_en": en, "position": pos})
        created += made
        for cpos, (cslug, cvi, cen) in enumerate(children, start=1):
            _child, made = Topic.objects.get_or_create(
                slug=cslug, defaults={"name_vi": cvi, "name_en": cen, "position": cpos, "parent": parent}
            )
            created += made
    return created
