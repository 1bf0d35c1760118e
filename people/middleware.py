from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils import translation

# The signed-in person's language, looked up once when they log in: pages then ask nothing of
# the database for it.
SESSION_KEY = "_person_language"


class PersonLanguageMiddleware:
    """A signed-in person whose browser carries no language choice (a new device, or one who
    never chose) is spoken to in their account's language, else their territory's default.

    The switch's cookie wins: it is the latest choice, made on this device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def remember_on_login(sender, request, user, **kwargs):
    from .selectors import language_of

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language_of(user)


def connect() -> None:
    user_logged_in.connect(remember_on_login, dispatch_uid="people.remember_language_on_login")
