from core.text import initials_name, name_sort_key, normalise_header, search_key, unaccent, vi_key


def test_unaccent_and_search_key():
    assert unaccent("Nguyễn Văn Đức") == "nguyen van duc"
    assert search_key("  Trường   THPT  Chuyên ") == "truong thpt chuyen"


def test_vietnamese_letter_order():
    words = ["Ư", "Z", "Đ", "D", "Ô", "O", "Ơ", "E", "Ă", "A", "Â", "B"]
    assert sorted(words, key=vi_key) == ["A", "Ă", "Â", "B", "D", "Đ", "E", "O", "Ô", "Ơ", "Ư", "Z"]
    # plain sorted() gets it wrong: Đ and Ư after Z
    assert sorted(words)[-1] != "Z"


def test_tone_order_within_equal_letters():
    assert sorted(["ạ", "á", "ã", "ả", "à", "a"], key=vi_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    # letters first, then tones: "ác" sorts before "ai" because c < i
    assert sorted(["ai", "ác"], key=vi_key) == ["ác", "ai"]


def test_class_list_sorts_by_given_name_then_family():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Phạm Đức", "Đỗ Minh Dũng"]
    assert sorted(names, key=name_sort_key) == [
        "Lê Văn An",
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Đỗ Minh Dũng",
        "Phạm Đức",
    ]


def test_initials_and_headers():
    assert initials_name("Nguyễn Văn Đức") == "N. V. Đ."
    assert normalise_header("  HỌ VÀ  tên ") == "ho va ten"
