import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

from .text import LINE_BREAKS, clean_text


class DateInput(forms.DateInput):
    """A browser date picker; the value is written as ISO so the picker can read it."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FormRenderer(Jinja2):
    """Forms, their fields and widgets drawn by Jinja2 from Django's own widget templates and
    core/jinja2/collegium/form.html (`{{ form }}`, included as templates/_form.html).

    Drawing a field through the Django template language costs about a millisecond; formset
    pages (minutes, plans) draw dozens of them, which made them several times slower than
    their queries. Widgets that exist only as Django templates (the admin's) are drawn by
    Django's own renderer.
    """

    form_template_name = "collegium/form.html"

    def __init__(self) -> None:
        self._django_only: set[str] = set()

    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        if template_name not in self._django_only:
            try:
                return super().get_template(template_name)
            except TemplateDoesNotExist:
                self._django_only.add(template_name)
        return self._django.get_template(template_name)


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the named field where there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def flash_errors(request, source) -> None:
    """Show a service's ValidationError or an invalid form's errors as page messages.

    Used by in-page actions (htmx or a small form) that answer with the page, not the form.
    """
    from django.contrib import messages

    if isinstance(source, ValidationError):
        texts = source.messages
    else:
        texts = [text for errors in source.errors.values() for text in errors]
    for text in texts:
        messages.error(request, text)


# Word's line breaks are core.text.LINE_BREAKS; it also pastes a non-breaking hyphen as U+001E
# and an optional hyphen as U+001F.


class PastedTextField(forms.CharField):
    """Text as typed or pasted from Word, without control characters (which PostgreSQL and the
    DOCX/PDF exports refuse); a one-line field also gets its line breaks and tabs as spaces."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = LINE_BREAKS.sub("\n", str(value)).replace("\x1e", "-").replace("\x1f", "")
            text = clean_text(text)
            if not isinstance(self.widget, forms.Textarea):
                text = re.sub(r"\s*[\n\t]\s*", " ", text)
            value = text
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field. Their bytes are judged by the service (core.uploads), so a
    hostile file gets its message there."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []
