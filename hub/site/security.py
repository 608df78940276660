"""Security headers on every page the site answers.

Public pages keep the hub's strict policy: nothing but the site's own stylesheet and images, no script
at all, forms posting only to the site. The back office (/gestion/, Django's admin) also runs the
admin's own scripts from the site. The API's JSON answers get the same nosniff.
"""
from __future__ import annotations

PUBLIC_CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; "
              "base-uri 'none'; frame-ancestors 'none'")
BACK_OFFICE_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                   "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
BACK_OFFICE_PREFIXES = ("/gestion/", "/en/gestion/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = BACK_OFFICE_CSP if request.path.startswith(BACK_OFFICE_PREFIXES) else PUBLIC_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
