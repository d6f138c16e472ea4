"""The project's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("boom: SECRET_KEY and DATABASES must never reach the visitor")


urlpatterns = [path("boom/", boom), *project_urls]
