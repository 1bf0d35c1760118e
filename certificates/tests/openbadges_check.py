"""Run 1EdTech's Open Badges validator on a hosted assertion, without the internet.

Runs in `.venv-openbadges` (see the Makefile), not in the project's venv:
    .venv-openbadges/bin/python certificates/tests/openbadges_check.py URL ALLOWED_ORIGIN

The validator fetches the JSON-LD context https://w3id.org/openbadges/v2 for every document it
reads; the package bundles a copy of it (`OPENBADGES_CONTEXT_V2_DICT`), which is answered here.
Every other request outside ALLOWED_ORIGIN (the site under test) is refused and listed, so the
check also proves the validator needs nothing from the network. Prints one JSON object: the
validator's report and the refused URLs.
"""

import json
import sys


def main(url: str, allowed_origin: str) -> None:
    import requests
    from openbadges.verifier.openbadges_context import (
        OPENBADGES_CONTEXT_V2_DICT,
        OPENBADGES_CONTEXT_V2_URI,
    )
    from requests.adapters import BaseAdapter, HTTPAdapter

    refused = []
    context = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()

    class Offline(BaseAdapter):
        def send(self, request, **kwargs):
            if request.url.rstrip("/") == OPENBADGES_CONTEXT_V2_URI:
                response = requests.Response()
                response.status_code = 200
                response._content = context
                response.headers["Content-Type"] = "application/ld+json"
                response.url = request.url
                response.request = request
                response.encoding = "utf-8"
                return response
            refused.append(request.url)
            raise requests.ConnectionError(f"no network in this check: {request.url}")

        def close(self):
            pass

    plain_init = requests.Session.__init__

    def offline_init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        self.mount("http://", Offline())
        self.mount("https://", Offline())
        self.mount(allowed_origin, HTTPAdapter())

    requests.Session.__init__ = offline_init

    from openbadges import verify

    report = verify(url, use_cache=False)
    print(json.dumps({"result": report, "refused": refused}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
