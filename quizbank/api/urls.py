from django.urls import path

from quizbank.api import imports, questions

app_name = "quizbank-api"
urlpatterns = [
    path("questions/", questions.QuestionListApi.as_view(), name="questions"),
    path("questions/bulk/", questions.BulkApi.as_view(), name="bulk"),
    path("questions/preview/", questions.QuestionPreviewApi.as_view(), name="preview"),
    path("questions/<int:pk>/", questions.QuestionDetailApi.as_view(), name="question"),
    path("questions/<int:pk>/status/", questions.QuestionStatusApi.as_view(), name="question-status"),
    path("questions/<int:pk>/copy/", questions.QuestionCopyApi.as_view(), name="question-copy"),
    path("questions/<int:pk>/propose/", questions.QuestionProposeApi.as_view(), name="question-propose"),
    path("topics/", questions.TopicListApi.as_view(), name="topics"),
    path("banks/", questions.BankListApi.as_view(), name="banks"),
    path("imports/", imports.ImportCreateApi.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetailApi.as_view(), name="import"),
    path("imports/<int:pk>/confirm/", imports.ImportConfirmApi.as_view(), name="import-confirm"),
    path("imports/<int:pk>/cancel/", imports.ImportCancelApi.as_view(), name="import-cancel"),
    path("export/<slug:fmt>/", imports.ExportApi.as_view(), name="export"),
    path("template.xlsx", imports.TemplateApi.as_view(), name="template"),
]
