from django.urls import path

from contest.api import manage as m
from contest.api import student as s

app_name = "contest-api"

urlpatterns = [
    # Students
    path("rounds/", s.RoundListApi.as_view(), name="rounds"),
    path("rounds/<int:pk>/", s.RoundDetailApi.as_view(), name="round"),
    path("rounds/<int:pk>/attempts/", s.AttemptStartApi.as_view(), name="attempt-start"),
    path("attempts/<int:pk>/", s.AttemptDetailApi.as_view(), name="attempt"),
    path("attempts/<int:pk>/answers/<int:version_id>/", s.AnswerSaveApi.as_view(), name="answer-save"),
    path("attempts/<int:pk>/prediction/", s.PredictionApi.as_view(), name="prediction"),
    path("attempts/<int:pk>/navigation/", s.NavigationApi.as_view(), name="navigation"),
    path("attempts/<int:pk>/submit/", s.SubmitApi.as_view(), name="submit"),
    # Organisers
    path("manage/contests/", m.ContestListApi.as_view(), name="contests"),
    path("manage/contests/<int:pk>/", m.ContestDetailApi.as_view(), name="contest"),
    path("manage/contests/<int:pk>/rounds/", m.RoundCreateApi.as_view(), name="round-create"),
    path("manage/rounds/<int:pk>/", m.RoundDetailApi.as_view(), name="manage-round"),
    path("manage/rounds/<int:pk>/questions/", m.RoundQuestionsApi.as_view(), name="round-questions"),
    path("manage/rounds/<int:pk>/monitor/", m.MonitorApi.as_view(), name="monitor"),
    path("manage/rounds/<int:pk>/standings/", m.StandingsApi.as_view(), name="standings"),
    path("manage/rounds/<int:pk>/rescore/", m.RescoreApi.as_view(), name="rescore"),
    path("manage/rounds/<int:pk>/close/", m.RoundCloseApi.as_view(), name="round-close"),
    path("manage/attempts/<int:pk>/disqualify/", m.DisqualifyApi.as_view(), name="disqualify"),
    path("manage/attempts/<int:pk>/log/", m.AnswerLogApi.as_view(), name="answer-log"),
]
