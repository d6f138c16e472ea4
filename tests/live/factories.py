"""Live-game test data, built through the real services."""

import itertools

from live import services
from quizbank.models import Status
from tests.quizbank import factories as qf
from tests.schools import factories as sf

_seq = itertools.count(1)


class World:
    """A school with a teacher, a class of pupils and approved official questions."""

    def __init__(self, *, questions: int = 3, pupils: int = 3):
        n = next(_seq)
        self.province = sf.province(code=f"{10 + n % 80:02d}", name=f"Tỉnh {n}")
        self.school = sf.school(sf.commune(self.province))
        self.other_school = sf.school(sf.commune(self.province))
        self.teacher = sf.staff("teacher", school_obj=self.school, username=f"gv{n}")
        self.stranger = sf.staff("teacher", school_obj=self.other_school, username=f"gvx{n}")
        self.klass = sf.klass(self.school, name="9A1", teacher=self.teacher)
        self.klass2 = sf.klass(self.school, name="9A2", teacher=self.teacher)
        names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Võ Thu Hà"]
        self.pupils = [
            sf.student(self.school, self.klass, full_name=names[i % len(names)], username=f"hs{n}_{i}")
            for i in range(pupils)
        ]
        self.questions = [
            qf.make(
                content=qf.single(stem=f"Câu hỏi số {i + 1} của trò chơi {n}?", correct=1),
                status=Status.APPROVED,
            )
            for i in range(questions)
        ]

    def game(self, **options):
        options.setdefault("shuffle_choices", False)
        return services.game_create(
            user=self.teacher,
            school=self.school,
            name="Trò chơi thử",
            question_ids=[q.pk for q in self.questions],
            **options,
        )


CORRECT = "c1"  # qf.single(correct=1): choices c0..c3, c1 right
WRONG = "c2"
