from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2


class FormRenderer(Jinja2):
    """Forms, their fields and widgets drawn by Jinja2 from Django's own widget templates and
    core/jinja2/collegium/form.html (`{{ form }}`, included as templates/_form.html).

    Drawing a field through the Django template language costs about a millisecond; formset
    pages (minutes, plans) draw dozens of them, which made them several times slower than
    their queries.
    """

    form_template_name = "collegium/form.html"


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


def formset_rows(formset) -> list[dict]:
    """The kept rows of a valid formset as plain dicts, for services that replace a list whole."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
