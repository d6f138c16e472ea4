from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.auth import SigninView
from core.health import healthz
from core.jsi18n import javascript_catalog
from core.metrics import metrics_view
from core.security import inline_styles_allowed

api_patterns = [
    path("", include("core.api.urls")),
    path("schools/", include("schools.api.urls")),
    path("quizbank/", include("quizbank.api.urls")),
    path("contest/", include("contest.api.urls")),
    path("live/", include("live.api.urls")),
    path("leaderboard/", include("leaderboard.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("jsi18n/<str:language>/<str:version>.js", javascript_catalog, name="javascript-catalog-versioned"),
    path("admin/", admin.site.urls),
    path("accounts/login/", SigninView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Our templates by a name of their own: django.contrib.admin (listed first) ships pages under
    # registration/password_change_*.html that would otherwise win.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="frontend/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="frontend/password_change_done.html"),
        name="password_change_done",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP refuses inline scripts.
    # Swagger UI injects <style> elements: that page allows inline styles (never scripts).
    path(
        "api/docs/", inline_styles_allowed(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),
    path("api/", include(api_patterns)),
    path("schools/", include("schools.urls")),
    path("quizbank/", include("quizbank.urls")),
    path("contest/", include("contest.urls")),
    path("live/", include("live.urls")),
    path("leaderboard/", include("leaderboard.urls")),
    path("", include("frontend.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# JSON under /api/, the page elsewhere.
handler400 = "core.api.errors.api_handler400"
handler403 = "core.api.errors.api_handler403"
handler404 = "core.api.errors.api_handler404"
handler500 = "core.api.errors.api_handler500"
