from django.apps import AppConfig


class QuizbankConfig(AppConfig):
    name = "quizbank"
