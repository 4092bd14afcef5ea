from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class TurkishFirstLocaleMiddleware(LocaleMiddleware):
    """Turkish unless the visitor chose another language with the switcher (the cookie).

    Django's own middleware also follows the browser's Accept-Language, which would show English to every officer
    whose browser happens to be set to English; the portal speaks Turkish first and English on request.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
