from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static

from core.demo import DEMO_ACCOUNTS


def home(request):
    demo_accounts = DEMO_ACCOUNTS if settings.SHOW_DEMO_LOGINS else []
    return render(request, "frontend/home.html", {"demo_accounts": demo_accounts})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is a static file (its
    URL is resolved per request, so a hashed static storage works too)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No request context: the database or the session may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
