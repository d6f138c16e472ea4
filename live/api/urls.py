from django.urls import path

from live.api import views as api

urlpatterns = [
    path("pin/", api.PinApi.as_view(), name="live-api-pin"),
    path("roster/", api.RosterApi.as_view(), name="live-api-roster"),
    path("games/", api.GameCreateApi.as_view(), name="live-api-game-create"),
    path("rounds/<int:round_id>/open/", api.RoundOpenApi.as_view(), name="live-api-round-open"),
    path("games/<int:game_id>/", api.GameDetailApi.as_view(), name="live-api-game"),
    path("games/<int:game_id>/next/", api.NextApi.as_view(), name="live-api-next"),
    path("games/<int:game_id>/skip/", api.SkipApi.as_view(), name="live-api-skip"),
    path("games/<int:game_id>/pause/", api.PauseApi.as_view(), name="live-api-pause"),
    path("games/<int:game_id>/resume/", api.ResumeApi.as_view(), name="live-api-resume"),
    path("games/<int:game_id>/add-time/", api.AddTimeApi.as_view(), name="live-api-add-time"),
    path("games/<int:game_id>/end/", api.EndApi.as_view(), name="live-api-end"),
    path("games/<int:game_id>/rescue/", api.RescueApi.as_view(), name="live-api-rescue"),
    path("games/<int:game_id>/players/<int:player_id>/kick/", api.KickApi.as_view(), name="live-api-kick"),
    path("games/<int:game_id>/players/<int:player_id>/team/", api.TeamApi.as_view(), name="live-api-team"),
]
