"""The layout's cached reverse: the same paths as {% url %}, faster."""

import pytest
from django.template import Context, Template
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("dashboard", []),
        ("planning:detail", [7]),
        ("planning:item_done", [0]),
        ("communities:member_remove", [12, 345]),
        ("people:databank_export_file", [3, 40]),
    ],
)
def test_route_gives_the_same_path_as_reverse(name, args):
    rendered = Template(
        "{% load collegium %}{% route name " + " ".join(f"a{i}" for i in range(len(args))) + " %}"
    ).render(Context({"name": name} | {f"a{i}": a for i, a in enumerate(args)}))
    assert rendered == reverse(name, args=args)


def test_route_passes_other_arguments_to_reverse():
    template = Template("{% load collegium %}{% route 'planning:step' pk action %}")
    assert template.render(Context({"pk": 5, "action": "send-back"})) == reverse(
        "planning:step", args=[5, "send-back"]
    )
    # A string id is reversed as {% url %} would, not put into the cached path.
    assert Template("{% load collegium %}{% route 'planning:detail' pk %}").render(
        Context({"pk": "9"})
    ) == reverse("planning:detail", args=["9"])


def test_route_escapes_and_can_be_stored():
    template = Template(
        "{% load collegium %}{% route 'planning:item_done' pk as done %}<a href='{{ done }}'>"
    )
    assert (
        template.render(Context({"pk": 3}))
        == f"<a href='{reverse('planning:item_done', args=[3])}'>"
    )


def test_csrf_input_is_the_same_field_as_csrf_token(rf):
    from django.template import RequestContext

    request = rf.get("/")
    template = Template(
        "{% load collegium %}{% csrf_input as csrf %}{{ csrf }}|{{ csrf }}|{% csrf_token %}"
    )
    first, second, django_field = template.render(RequestContext(request)).split("|")
    assert first == second
    assert first.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert first == django_field
    assert Template("{% load collegium %}{% csrf_input %}").render(Context()) == ""


def test_file_count_is_plural_in_russian():
    from django.utils import translation

    template = Template("{% load collegium %}{{ n|file_count }}")
    with translation.override("ru"):
        assert [template.render(Context({"n": n})) for n in (1, 3, 5)] == [
            "1 файл",
            "3 файла",
            "5 файлов",
        ]


@pytest.mark.parametrize(
    ("value", "ru", "en"),
    [
        ("70.00", "70", "70"),
        ("72.50", "72,5", "72.5"),
        ("100", "100", "100"),
        ("0.05", "0,05", "0.05"),
    ],
)
def test_numbers_are_shown_without_trailing_zeros(value, ru, en):
    from decimal import Decimal

    from django.utils import translation

    template = Template("{% load collegium %}{{ n|number }}")
    for language, expected in (("ru", ru), ("en", en)):
        with translation.override(language):
            assert template.render(Context({"n": Decimal(value)})) == expected
    assert template.render(Context({"n": None})) == "None"
