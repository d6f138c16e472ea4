from django.urls import path, re_path

from leaderboard.api import views as api

app_name = "leaderboard-api"

urlpatterns = [
    path("rounds/<int:pk>/board/", api.RoundBoardApi.as_view(), name="round-board"),
    # Only the two actions: anything else is 404, never "unfreeze".
    re_path(r"^rounds/(?P<pk>[0-9]+)/(?P<action>freeze|unfreeze)/$", api.FreezeApi.as_view(), name="freeze"),
    path("contests/<int:pk>/board/", api.ContestBoardApi.as_view(), name="contest-board"),
    path("contests/<int:pk>/individual/", api.IndividualRankingApi.as_view(), name="individual"),
    path("contests/<int:pk>/units/", api.UnitRankingApi.as_view(), name="units"),
    path("contests/<int:pk>/topics/", api.TopicBreakdownApi.as_view(), name="topics"),
    path("contests/<int:pk>/publish/", api.PublishApi.as_view(), name="publish"),
    path("attempts/<int:pk>/review/", api.AttemptReviewApi.as_view(), name="attempt-review"),
    path("publications/", api.PublicationListApi.as_view(), name="publications"),
    path("publications/<int:pk>/", api.PublicationDetailApi.as_view(), name="publication"),
    path("publications/<int:pk>/exports/", api.ExportCreateApi.as_view(), name="export-create"),
    path("exports/<int:pk>/", api.ExportApi.as_view(), name="export"),
]
