"""The minutes page as a browser holds it: its form read from the HTML, changed the way a person
does (typing, ticking, "Remove", inserting the rows the "add" buttons fetch), and posted back
with the fields in the page's order."""

from __future__ import annotations

from lxml import html


class MinutesPage:
    def __init__(self, client, meeting_pk: int, response=None):
        self.client = client
        self.url = f"/meetings/{meeting_pk}/minutes/"
        self.response = response if response is not None else client.get(self.url)
        assert self.response.status_code == 200, self.response.status_code
        self.load(self.response.content)

    def load(self, content: bytes) -> None:
        self.doc = html.fromstring(content)
        self.form = self.doc.get_element_by_id("minutes-form")

    def rows(self, kind: str) -> list[str]:
        """The keys of the questions or decisions, in the page's order."""
        return [el.get("value") for el in self.form.xpath(f".//input[@name='{kind}']")]

    def __setitem__(self, name: str, value) -> None:
        self.form.inputs[name].value = "" if value is None else str(value)

    def __getitem__(self, name: str) -> str:
        return _as_sent(self.form.inputs[name])

    def tick(self, name: str, value, checked: bool = True) -> None:
        """Tick or untick one checkbox of a group (attendance, covered items)."""
        box = self.form.xpath(f".//input[@name='{name}'][@value='{value}']")[0]
        box.checked = checked

    def remove(self, prefix: str) -> None:
        self.form.inputs[f"{prefix}-remove"].checked = True

    def add(self, kind: str) -> str:
        """Fetch a blank row the way the page's "add" button does, insert it, return its key."""
        button = self.form.xpath(f".//button[@name='add'][@value='{kind}']")[0]
        response = self.client.get(button.get("hx-get"), headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        fragment = html.fragment_fromstring(response.content.decode(), create_parent=False)
        self.doc.get_element_by_id(button.get("hx-target")[1:]).append(fragment)
        return fragment.get("id").split("-", 1)[1]

    def data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        textareas = {el.name for el in self.form.iter("textarea")}
        for name, value in self.form.form_values():
            if name in textareas:
                value = value.removeprefix("\n")
            data.setdefault(name, []).append(value)
        return data

    def post(self, **extra):
        data = self.data() | {k: [str(v)] for k, v in extra.items()}
        return self.client.post(self.url, data)

    @staticmethod
    def parse(response):
        return html.fromstring(response.content)


def _as_sent(element) -> str:
    """A browser drops the newline that opens a textarea's text (Django writes one)."""
    value = element.value or ""
    return value.removeprefix("\n") if element.tag == "textarea" else value
