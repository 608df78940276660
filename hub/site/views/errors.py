"""Error pages in the site's own look (never Django's debug page, never a bare text)."""
from __future__ import annotations

import re

from django.shortcuts import render

# A mistyped QR address (/c/, /g/x/y, …) gets the page that explains codes.
CODE_PATH = re.compile(r"^/(en/)?[cg](/|$)")


def page_not_found(request, exception=None):
    if CODE_PATH.match(request.path):
        return render(request, "site/code_not_found.html", status=404)
    return render(request, "site/not_found.html", status=404)


def server_error(request):
    return render(request, "site/server_error.html", status=500)
