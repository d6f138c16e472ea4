from django.urls import path

from contest import views_class as c
from contest import views_manage as m
from contest import views_student as s

app_name = "contest"

urlpatterns = [
    # Students
    path("", s.rounds, name="rounds"),
    path("rounds/<int:pk>/", s.round_detail, name="round"),
    path("rounds/<int:pk>/start/", s.round_start, name="round_start"),
    path("attempts/<int:pk>/", s.attempt_page, name="attempt"),
    path("attempts/<int:pk>/result/", s.attempt_result, name="attempt_result"),
    # Teachers' class rounds (homework)
    path("class/", c.class_rounds, name="class_rounds"),
    path("class/new/", c.class_round_create_page, name="class_round_create"),
    path("class/<int:pk>/edit/", c.class_round_edit, name="class_round_edit"),
    path("class/<int:pk>/results/", c.class_results, name="class_results"),
    path("class/<int:pk>/results.<str:fmt>", c.class_results_export, name="class_results_export"),
    # Organisers
    path("manage/", m.manage_home, name="manage"),
    path("manage/contests/new/", m.contest_edit, name="contest_create"),
    path("manage/contests/<int:pk>/", m.contest_detail, name="contest"),
    path("manage/contests/<int:pk>/edit/", m.contest_edit, name="contest_edit"),
    path("manage/contests/<int:contest_pk>/rounds/new/", m.round_edit, name="round_create"),
    path("manage/rounds/<int:pk>/", m.round_manage, name="round_manage"),
    path("manage/rounds/<int:pk>/edit/", m.round_edit, name="round_edit"),
    path("manage/rounds/<int:pk>/questions/", m.round_questions, name="round_questions"),
    path("manage/rounds/<int:pk>/monitor/", m.round_monitor, name="round_monitor"),
    path("manage/rounds/<int:pk>/standings/", m.round_standings, name="round_standings"),
    path("manage/rounds/<int:pk>/rescore/", m.round_rescore, name="round_rescore"),
    path("manage/rounds/<int:pk>/close/", m.round_close, name="round_close"),
    path("manage/attempts/<int:pk>/disqualify/", m.attempt_disqualify, name="attempt_disqualify"),
]
