"""The question editor's form state: from a question, from a POST, to service arguments.

The editor is a plain HTML form (it works without JavaScript; the script adds keyboard
choice editing and the live preview). Choice rows carry a ``choice_key``: the stored choice
id, or "new-N" for rows added in the browser; "correct" checkboxes and radios post keys.
"""

from dataclasses import dataclass, field

from quizbank.models import Question

BLANK_ROWS = 2


@dataclass
class EditorState:
    qtype: str = "single"
    stem: str = ""
    choices: list[dict] = field(default_factory=list)  # {"key", "text", "correct", "weight"}
    accepted: str = ""
    ignore_accents: bool = True
    value: str = ""
    tolerance: str = ""
    partial_credit: bool = False
    difficulty: int = 2
    language: str = "vi"
    time_limit_s: str = ""
    explanation: str = ""
    source: str = ""
    topics: list[int] = field(default_factory=list)
    tags: str = ""
    bank: str = "mine"
    shared_with_school: bool = False
    tf_true: bool = True
    tf_keys: list[str] = field(default_factory=list)

    def with_blank_rows(self) -> "EditorState":
        """Rows to type into: at least four for a new choice question, plus spare ones."""
        n_blank = max(BLANK_ROWS, 4 - len(self.choices))
        start = len(self.choices)
        blanks = [{"key": f"new-{start + i}", "text": "", "correct": False, "weight": ""} for i in range(n_blank)]
        self.choices = [*self.choices, *blanks]
        return self


def _num(value) -> str:
    if value is None or value == "":
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def state_from_question(question: Question) -> EditorState:
    v = question.current_version
    return EditorState(
        qtype=v.qtype,
        stem=v.stem,
        choices=[
            {"key": c["id"], "text": c["text"], "correct": bool(c.get("correct")), "weight": _num(c.get("weight"))}
            for c in v.choices
        ],
        accepted="\n".join(v.answer.get("accepted", [])),
        ignore_accents=bool(v.answer.get("ignore_accents", False)),
        value=_num(v.answer.get("value")),
        tolerance=_num(v.answer.get("tolerance")),
        partial_credit=v.partial_credit,
        difficulty=v.difficulty,
        language=v.language,
        time_limit_s=_num(v.time_limit_s),
        explanation=v.explanation,
        source=v.source,
        topics=list(question.topics.values_list("pk", flat=True)),
        tags=", ".join(question.tags),
        shared_with_school=question.shared_with_school,
        tf_true=bool(v.choices and v.choices[0].get("correct")) if v.qtype == "truefalse" else True,
        tf_keys=[c["id"] for c in v.choices] if v.qtype == "truefalse" else [],
    )


def state_from_post(post) -> EditorState:
    keys, texts, weights = post.getlist("choice_key"), post.getlist("choice_text"), post.getlist("choice_weight")
    correct = set(post.getlist("choice_correct"))
    choices = []
    for i, key in enumerate(keys):
        text = texts[i] if i < len(texts) else ""
        if not text.strip() and key.startswith("new-"):
            continue  # an unused blank row
        weight = weights[i] if i < len(weights) else ""
        choices.append({"key": key, "text": text, "correct": key in correct, "weight": weight})
    try:
        difficulty = int(post.get("difficulty") or 2)
    except ValueError:
        difficulty = 0
    return EditorState(
        qtype=post.get("qtype", "single"),
        stem=post.get("stem", ""),
        choices=choices,
        accepted=post.get("accepted", ""),
        ignore_accents=bool(post.get("ignore_accents")),
        value=post.get("value", ""),
        tolerance=post.get("tolerance", ""),
        partial_credit=bool(post.get("partial_credit")),
        difficulty=difficulty,
        language=post.get("language", "vi"),
        time_limit_s=post.get("time_limit_s", ""),
        explanation=post.get("explanation", ""),
        source=post.get("source", ""),
        topics=[int(t) for t in post.getlist("topics") if t.isdigit()],
        tags=post.get("tags", ""),
        bank=post.get("bank", "mine"),
        shared_with_school=bool(post.get("shared_with_school")),
        tf_true=post.get("tf_answer", "true") == "true",
        tf_keys=post.getlist("tf_key")[:2],
    )


def content_of(state: EditorState) -> dict:
    """The content dict ``content.clean_content`` validates."""
    answer: dict = {}
    if state.qtype == "short":
        answer = {
            "accepted": [a for a in state.accepted.splitlines() if a.strip()],
            "ignore_accents": state.ignore_accents,
        }
    elif state.qtype == "numeric":
        answer = {"value": state.value.strip(), "tolerance": state.tolerance.strip() or 0}
    choices = [
        {
            "id": "" if c["key"].startswith("new-") else c["key"],
            "text": c["text"],
            "correct": c["correct"],
            "weight": str(c["weight"]).replace(",", ".") if str(c["weight"]).strip() else 0.0,
        }
        for c in state.choices
    ]
    if state.qtype == "truefalse":
        keys = [*state.tf_keys, "", ""][:2]
        # Empty texts: clean_content labels them Đúng/Sai or True/False by language.
        choices = [
            {"id": keys[0], "text": "", "correct": state.tf_true},
            {"id": keys[1], "text": "", "correct": not state.tf_true},
        ]
    return {
        "qtype": state.qtype,
        "stem": state.stem,
        "choices": choices,
        "answer": answer,
        "partial_credit": state.partial_credit,
        "difficulty": state.difficulty,
        "language": state.language,
        "time_limit_s": state.time_limit_s.strip() or None,
        "explanation": state.explanation,
        "source": state.source,
    }
