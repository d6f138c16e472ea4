"""Two mirror-image provinces for the scope matrix: side A and side B each have a school with
two classes and their teachers, a pupil with an attempt, a coordinator, an organiser, a
contest with a finalized round and a published ranking, a school-bank question, import jobs, a
pending self-registration and a live game with a player.

Every object of side B carries the marker ``BÊN-B`` in its visible name, so a test can tell a
leak of side B into a side-A response by looking for the marker.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from contest import services as contest_services
from contest.services import round_finalize
from contest.services.class_rounds import class_round_create
from leaderboard import services as board_services
from leaderboard.exports.jobs import export_start
from leaderboard.scopes import Filters, ranking_scope
from live import services as live_services
from live.services.players import JoinRequest, players_join_batch
from quizbank.services.imports import import_preview as bank_import_preview
from schools.imports.jobs import import_preview as roster_import_preview
from schools.registration import registration_submit
from tests.contest import factories as cf
from tests.contest.helpers import take
from tests.leaderboard import factories as lf
from tests.quizbank import factories as qf
from tests.schools import factories as sf

MARKER = "BÊN-B"
GIFT = b"::Q1:: Ai ban hanh Chuong trinh Chuyen doi so quoc gia? {=Thu tuong ~Bo GD}\n"


@dataclass
class Side:
    label: str
    users: dict
    objects: dict


def side(label: str, province_code: str) -> Side:
    tag = MARKER if label == "B" else "Bên A"
    prov = sf.province(code=province_code, name=f"Tỉnh {tag}")
    commune = sf.commune(prov, name=f"Xã {tag}")
    school = sf.school(commune, name=f"Trường THCS {tag}", levels=["thcs"], enrolment={9: 40})
    teacher1 = sf.staff("teacher", school_obj=school, username=f"gv1_{label}")
    teacher2 = sf.staff("teacher", school_obj=school, username=f"gv2_{label}")
    class1 = sf.klass(school, f"9{label}1", 9, teacher=teacher1)
    class2 = sf.klass(school, f"9{label}2", 9, teacher=teacher2)
    pupil = sf.student(school, class1, full_name=f"Học Sinh {tag}", username=f"hs_{label}")
    users = {
        "organiser": sf.staff("organiser", region=prov, username=f"btc_{label}"),
        "coordinator": sf.staff("coordinator", school_obj=school, username=f"dp_{label}"),
        "teacher1": teacher1,
        "teacher2": teacher2,
        "pupil": pupil.user,
    }
    contest = contest_services.contest_create(
        user=users["organiser"],
        name=f"Cuộc thi {tag}",
        year=2026,
        region=prov,
        levels=["thcs"],
        individual_prizes=[{"name": "Giải Nhất", "count": 1}],
    )
    now = timezone.now()
    w = cf.World(organiser=users["organiser"], contest=contest)
    done = cf.round_(
        w, n_questions=2, opens_at=now - datetime.timedelta(hours=3), closes_at=now + datetime.timedelta(hours=1)
    )
    attempt = take(pupil.user, done, correct=1, at=now - datetime.timedelta(hours=2))
    contest_services.round_update(user=users["organiser"], round_=done, closes_at=now - datetime.timedelta(minutes=5))
    with lf.committed():
        round_finalize(round_id=done.pk)
    publication = board_services.ranking_publish(
        user=users["organiser"], scope=ranking_scope(contest), kind="individual", filters=Filters()
    )
    export = export_start(
        user=users["organiser"], publication=publication, kind="full_xlsx", base_url="http://x", background=False
    )
    running = cf.round_(w, n_questions=2, name=f"Tuần đang mở {tag}")
    open_attempt = contest_services.attempt_start(user=pupil.user, round_=running)
    question = qf.make(
        user=users["coordinator"],
        content=qf.single(stem=f"Câu hỏi của trường {tag}?"),
        bank=qf.school_bank(school),
        status="approved",
    )
    bank_job = bank_import_preview(user=teacher1, data=GIFT, filename="cau-hoi.gift", bank=qf.school_bank(school))
    roster_job = roster_import_preview(
        actor=users["coordinator"],
        kind="roster",
        file_name="danh-sach.csv",
        data=f"Họ và tên,Ngày sinh,Lớp\nNguyễn Văn Mới,01/02/2012,9{label}1\n".encode(),
        school=school,
        school_year="2026-2027",
    )
    registered = registration_submit(
        username=f"dk_{label}",
        password="MatKhau-Dai-2026",
        full_name=f"Người Đăng Ký {tag}",
        date_of_birth=datetime.date(2012, 5, 1),
        school=school,
        school_class=class1,
        consent_student=True,
        consent_guardian=True,
    )
    homework_question = qf.make(
        user=teacher1,
        content=qf.single(stem=f"Câu hỏi bài tập {tag}?"),
        bank=qf.teacher_bank(teacher1),
        status="approved",
    )
    class_round = class_round_create(
        user=teacher1,
        class_ids=[class1.pk],
        question_ids=[homework_question.pk],
        name=f"Bài tập lớp {tag}",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        duration_s=600,
        attempts_policy="one",
        scoring_format="contest",
        reveal_after_attempt=2,
        reveal_after_close=4,
    )
    game = live_services.game_create(user=teacher1, school=school, name=f"Trò chơi {tag}", question_ids=[question.pk])
    joined = players_join_batch([JoinRequest(game_id=game.pk, pin=game.pin, client="t", nickname=f"Em {label}")])[0]
    objects = {
        "province": prov,
        "commune": commune,
        "school": school,
        "class1": class1,
        "class2": class2,
        "student": pupil,
        "contest": contest,
        "round": done,
        "running_round": running,
        "class_round": class_round,
        "attempt": attempt,
        "open_attempt": open_attempt,
        "version": open_attempt.question_order[0],
        "publication": publication,
        "export": export,
        "question": question,
        "bank_job": bank_job,
        "roster_job": roster_job,
        "registration": registered,
        "game": game,
        "player": joined.player,
    }
    return Side(label, users, objects)
