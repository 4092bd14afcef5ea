"""Requests carrying control characters in their address are answered before any view or query sees them.

PostgreSQL cannot store or compare a NUL in text: psycopg refuses such a parameter, so `/basvuru/%00/` or
`?status__exact=%00` reached the database and answered 500 wherever a URL or filter value is used in a query (the
portal's views, the admin's filters, third-party admins). No address of the portal contains a control character, so
one check at the door covers every view, present and future, instead of a guard in each.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

# C0 controls and DEL. Tab, line feed and carriage return are left to the query string: a search term pasted from a
# spreadsheet may carry them, and every database takes them.
_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RefuseControlCharactersMiddleware:
    """A control character in the path is a 404 (no such page); in the query string, a 400 (a malformed request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _IN_PATH.search(request.path_info):
            raise Http404
        if any(
            _IN_QUERY.search(name) or any(_IN_QUERY.search(value) for value in values)
            for name, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _(
                    "Adresteki sorgu geçersiz bir karakter içeriyor. Bağlantıyı kontrol edin veya sayfaya menüden "
                    "yeniden ulaşın."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
