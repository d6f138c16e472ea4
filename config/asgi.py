"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from config.tuning import tune_gc  # noqa: E402
from core import bodylimits  # noqa: E402
from core.logs import RequestIdAsgiMiddleware  # noqa: E402
from core.realtime.db import SocketAuthMiddlewareStack  # noqa: E402

tune_gc()
bodylimits.install()  # request bodies over their limit are refused as they arrive

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": RequestIdAsgiMiddleware(
            AllowedHostsOriginValidator(SocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
