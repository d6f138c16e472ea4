from django.urls import path

from quizbank import views

app_name = "quizbank"
urlpatterns = [
    path("", views.bank, name="bank"),
    path("bulk/", views.bank_bulk, name="bulk"),
    path("new/", views.question_new, name="new"),
    path("pick/", views.pick, name="pick"),
    path("preview/", views.question_preview, name="preview"),
    path("<int:pk>/", views.question_edit, name="edit"),
    path("<int:pk>/status/", views.question_status, name="status"),
    path("<int:pk>/delete/", views.question_delete, name="delete"),
    path("<int:pk>/copy/", views.question_copy, name="copy"),
    path("<int:pk>/propose/", views.question_propose, name="propose"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
]
