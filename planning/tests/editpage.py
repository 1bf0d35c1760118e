"""The plan's edit page as a browser holds it: its form read from the HTML, changed the way a
person does (typing, ticking "Remove", moving rows, inserting the rows the "add" buttons fetch),
and posted back with the fields in the page's order."""

from __future__ import annotations

from lxml import html


class EditPage:
    def __init__(self, client, plan_pk: int):
        self.client = client
        self.url = f"/plans/{plan_pk}/edit/"
        self.response = client.get(self.url)
        assert self.response.status_code == 200, self.response.status_code
        self.load(self.response.content)

    def load(self, content: bytes) -> None:
        self.doc = html.fromstring(content)
        self.pasted: dict[str, str] = {}
        self.form = self.doc.get_element_by_id("plan-form")

    def rows(self, kind: str, meeting: str | None = None) -> list[str]:
        """The keys of the rows of a kind, in the page's order (items: of one meeting)."""
        name = {"target": "target", "meeting": "meeting"}.get(kind) or f"m-{meeting}-item"
        return [el.get("value") for el in self.form.xpath(f".//input[@name='{name}']")]

    def __setitem__(self, name: str, value) -> None:
        try:
            self.form.inputs[name].value = str(value)
        except ValueError:  # control characters, as pasted from Word: XML cannot hold them
            self.pasted[name] = str(value)

    def __getitem__(self, name: str) -> str:
        return self.pasted.get(name, self.form.inputs[name].value)

    def remove(self, prefix: str) -> None:
        self.form.inputs[f"{prefix}-remove"].checked = True

    def add(self, kind: str, meeting: str | None = None, *, first: bool = False) -> str:
        """Fetch a blank row the way the page's "add" button does, insert it, return its key."""
        value = f"item:{meeting}" if kind == "item" else kind
        button = self.form.xpath(f".//button[@name='add'][@value='{value}']")[0]
        response = self.client.get(button.get("hx-get"), headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        fragment = html.fragment_fromstring(response.content.decode(), create_parent=False)
        box = self.doc.get_element_by_id(button.get("hx-target")[1:])
        if first:
            box.insert(0, fragment)
        else:
            box.append(fragment)
        return fragment.get("id").split("-", 1)[1]

    def move(self, element_id: str, step: int) -> None:
        """Move a row up (-1) or down (+1) among its siblings, as the page's arrows do."""
        row = self.doc.get_element_by_id(element_id)
        parent = row.getparent()
        siblings = list(parent)
        n = siblings.index(row)
        parent.remove(row)
        parent.insert(n + step, row)

    def data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.form.form_values():
            data.setdefault(name, []).append(value)
        return data | {name: [value] for name, value in self.pasted.items()}

    def post(self, **extra):
        data = self.data() | {k: [str(v)] for k, v in extra.items()}
        return self.client.post(self.url, data)

    @staticmethod
    def parse(response):
        return html.fromstring(response.content)

    @classmethod
    def from_response(cls, client, plan_pk: int, response) -> EditPage:
        """The page a POST answered with (errors shown, rows redrawn), to go on editing."""
        page = cls.__new__(cls)
        page.client, page.url, page.response = client, f"/plans/{plan_pk}/edit/", response
        page.load(response.content)
        return page
