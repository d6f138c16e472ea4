from django.urls import path, re_path

from leaderboard import views

app_name = "leaderboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("p/<int:pk>/", views.publication, name="publication"),
    path("p/<int:pk>/print/", views.publication_print, name="print"),
    path("p/<int:pk>/export.<str:fmt>", views.publication_export, name="export"),
    path("p/<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("p/<int:pk>/exports/", views.exports, name="exports"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("rounds/<int:pk>/", views.round_board, name="round_board"),
    re_path(r"^rounds/(?P<pk>[0-9]+)/(?P<action>freeze|unfreeze)/$", views.freeze, name="freeze"),
    path("contests/<int:pk>/", views.contest_board, name="contest_board"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/publish/", views.publish, name="publish"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="attempt_review"),
]
