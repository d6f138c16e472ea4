from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; the file is a static one.
    path("favicon.ico", views.favicon, name="favicon"),
]
