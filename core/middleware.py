class RussianByDefaultMiddleware:
    """Collegium speaks Russian unless the user picks another language with the switch.

    Browsers in schools often send English preferences; the chosen language lives in the
    language cookie set by the switch, so Accept-Language is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
