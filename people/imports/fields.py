"""What the import understands: the databank's fields, their names in the report, and the
words a school's header may use for each."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy

DEFAULT_POSITION = "Учитель"  # data, not UI text: the same whatever language the uploader uses
PROGRESS_EVERY = 100
HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 256
MAX_EXPERIENCE_YEARS = 70
MAX_WORKLOAD = Decimal("60")

PERSON_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone")
PROFILE_FIELDS = (
    "education",
    "education_institution",
    "specialty",
    "qualification_category",
    "category_assigned_on",
    "experience_total",
    "experience_teaching",
    "subjects",
    "workload_hours",
    "classes_taught",
    "self_education_topic",
)
PROFILE_TEXT_FIELDS = (
    "education",
    "education_institution",
    "specialty",
    "subjects",
    "classes_taught",
    "self_education_topic",
)

# Columns the import understands, with their names for the report.
FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "last_name": gettext_lazy("Surname"),
    "first_name": gettext_lazy("First name"),
    "middle_name": gettext_lazy("Patronymic"),
    "position": gettext_lazy("Position"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "education": gettext_lazy("Education"),
    "education_institution": gettext_lazy("Institution graduated"),
    "specialty": gettext_lazy("Specialty by diploma"),
    "qualification_category": gettext_lazy("Qualification category"),
    "category_assigned_on": gettext_lazy("Category assigned on"),
    "experience_total": gettext_lazy("Total experience"),
    "experience_teaching": gettext_lazy("Teaching experience"),
    "subjects": gettext_lazy("Subjects taught"),
    "workload_hours": gettext_lazy("Workload, hours"),
    "classes_taught": gettext_lazy("Classes"),
    "self_education_topic": gettext_lazy("Self-education topic"),
}

# Header aliases, tried in this order against the normalised header text (lower case, "ё" as
# "е", punctuation as spaces). Order matters: "Дата присвоения категории" is a date, not a
# category; "Тема самообразования" is not "Образование"; "Фамилия, имя, отчество" is one column.
_HEADER_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(rx))
    for key, rx in [
        ("number", r"^(№|#|n|no|nn|нн|п п|номер)( ?п ?п)?$|^№ ?п ?п$|^порядковый номер$"),
        (
            "category_assigned_on",
            r"\bдат\w*\b.*\b(присво|аттестац|категор)|\bприсво\w*\b.*\bдат|"
            r"\b(category|attestation)\b.*\b(date|assigned)\b|\bdate\b.*\b(category|assigned)\b|"
            r"^assigned on$",
        ),
        (
            "experience_teaching",
            r"\b(педагогическ\w*|пед)\b.*\bстаж|\bстаж\b.*\b(педагогическ\w*|пед)\b|"
            r"\bteaching experience\b|\bexperience\b.*\bteaching\b",
        ),
        (
            "experience_total",
            r"\bобщ\w*\b.*\bстаж|\bстаж\b.*\bобщ\w*\b|^стаж( работы)?( лет)?$|"
            r"\btotal experience\b|\bexperience\b.*\btotal\b|^experience$",
        ),
        (
            "full_name",
            r"\bфио\b|\bф и о\b|\bфамилия\b.*\bимя\b.*\bотчество\b|\bфамилия имя\b|"
            r"\bfull name\b|^name$|^teacher$|^педагог$",
        ),
        ("last_name", r"^фамилия\b|\blast name\b|\bsurname\b|\bfamily name\b"),
        ("first_name", r"^имя\b|\bfirst name\b|\bgiven name\b"),
        ("middle_name", r"^отчество\b|\bmiddle name\b|\bpatronymic\b"),
        ("position", r"\bдолжност\w*\b|\bposition\b|\bjob title\b"),
        ("self_education_topic", r"самообразовани|\bself ?education\b|\bметодическ\w* тем"),
        ("email", r"\be ?mail\b|\bэлектронн\w* почт|\bэл почт|^почта$|\bемейл\b|\bимейл\b"),
        ("phone", r"\bтелефон\w*\b|^тел\b|\bphone\b|\bmobile\b"),
        (
            "education_institution",
            r"\bучебн\w* заведени|\bокончил|\bвуз\b|\bобразовательн\w* (учреждени|организаци)|"
            r"\binstitution\b|\buniversity\b",
        ),
        ("specialty", r"\bспециальност|\bspecialt(y|ies)\b|\bspeciality\b"),
        ("education", r"\bобразовани|\beducation\b"),
        ("qualification_category", r"\bкатегори|\bcategory\b"),
        ("subjects", r"\bпредмет|\bдисциплин|\bsubjects?\b"),
        ("workload_hours", r"\bнагрузк|\bworkload\b|\bчасов в неделю\b|\bhours\b"),
        ("classes_taught", r"^класс(ы)?\b|\bклассы\b|\bв каких классах\b|\bclasses\b|\bgrades\b"),
    ]
]

_SUMMARY_WORDS = ("итого", "всего", "total")
_CATEGORY_STOP_WORDS = {
    "категория",
    "категории",
    "квалификационная",
    "квалификационной",
    "кв",
    "кат",
    "category",
    "qualification",
}
_CATEGORY_NONE = {"", "нет", "без", "отсутствует", "не имеет", "не аттестован", "none", "no"}
_CATEGORY_ALIASES = {"сзд": "соответствие занимаемой должности", "1": "первая", "2": "вторая"}
