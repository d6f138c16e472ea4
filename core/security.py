"""Security headers every response carries, beside Django's ``SecurityMiddleware``.

The Content-Security-Policy admits scripts, styles, images, fonts and connections (websockets
included) from this site only: no inline script, no inline style attribute, no ``eval``, no
framing, forms posting only here. Every page is built for it (templates carry no inline
script or style attribute; behaviour lives in static ES modules), and a browser test visits
every page as each role and counts the violations (tests/browser/test_csp.py). The one inline
style element, a page's critical CSS, is allowed by its hash (core/critical_css.py). A view
that needs another policy sets its own header, which is kept.
"""

import functools

from django.conf import settings

from core.critical_css import csp_policy

# Features no page uses; a script injected despite the CSP gets none of them.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        # Pages get the hashes of the critical styles they may inline (core/critical_css.py).
        policy = csp_policy() if html else settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def inline_styles_allowed(view):
    """The site's policy with ``'unsafe-inline'`` added to ``style-src``, for a page whose
    vendored script injects ``<style>`` elements (Swagger UI on ``/api/docs/``). Scripts stay
    as strict as everywhere: an inline style cannot run code."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy:
            directives = [d.strip() for d in policy.split(";") if d.strip()]
            directives = [d + " 'unsafe-inline'" if d.split()[0] == "style-src" else d for d in directives]
            response["Content-Security-Policy"] = "; ".join(directives)
        return response

    return wrapped
