"""How cells are read: classes, periods, and the header's words."""

import pytest

from people.imports.headers import match_header
from results.imports.fields import HEADER_PATTERNS, period_key
from results.imports.parsing import _CLASS


@pytest.mark.parametrize(
    ("text", "grade", "letter"),
    [("5А", 5, "А"), ("10 «Б»", 10, "Б"), ("11-в", 11, "в"), ("7 А класс", 7, "А"), ("9", 9, "")],
)
def test_classes(text, grade, letter):
    match = _CLASS.fullmatch(text)
    assert match and int(match.group(1)) == grade and match.group(2) == letter


@pytest.mark.parametrize("text", ["Математика", "5А; DROP TABLE", "А5", "123"])
def test_not_classes(text):
    match = _CLASS.fullmatch(text)
    assert not match or not 1 <= int(match.group(1)) <= 12


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1 четверть", ("quarter", 1)),
        ("II четв.", ("quarter", 2)),
        ("3-я четверть", ("quarter", 3)),
        ("Второе полугодие", ("half", 2)),
        ("2 триместр", ("trimester", 2)),
        ("Годовая", ("year", 1)),
        ("Итоговая", ("year", 1)),
        ("пятая неделя", None),
    ],
)
def test_periods(text, key):
    assert period_key(text) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Класс", "class"),
        ("Предмет", "subject"),
        ("ФИО учителя", "teacher"),
        ("ФИО обучающегося", "pupil"),
        ("«5»", "count_5"),
        ("Кол-во «4»", "count_4"),
        ("на 3", "count_3"),
        ("неуд.", "count_2"),
        ("н/а", "count_na"),
        ("Отметка за четверть", "mark"),
        ("Четверть", "period"),
        ("Качество, %", None),
    ],
)
def test_headers(label, key):
    assert match_header(label, HEADER_PATTERNS) == key
