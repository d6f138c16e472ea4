from django.urls import path

from live import views

app_name = "live"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.game_new, name="new"),
    path("rounds/<int:round_id>/open/", views.round_open, name="open"),
    path("join/", views.join, name="join"),
    path("<int:game_id>/play/", views.play, name="play"),
    path("<int:game_id>/host/", views.host, name="host"),
    path("<int:game_id>/screen/", views.screen, name="screen"),
    path("<int:game_id>/report/", views.report, name="report"),
    path("<int:game_id>/report.<str:fmt>", views.report_export, name="report_export"),
]
