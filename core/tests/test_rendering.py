"""How pages draw forms and the layout's links (see core/forms.py, core/templatetags)."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import path

from core.forms import FormRenderer


class SampleForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(help_text="help")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    done = forms.BooleanField(required=False)

    def clean(self):
        raise forms.ValidationError("whole form")


def test_forms_are_drawn_by_jinja2_in_the_site_layout():
    assert isinstance(get_default_renderer(), FormRenderer)
    form = SampleForm({"id": "7", "kind": "b"})
    form.is_valid()
    html = Template('{% include "_form.html" %}').render(Context({"form": form}))
    assert '<div class="errors" role="alert">' in html
    assert '<input type="hidden" name="id" value="7" id="id_id">' in html
    assert '<div class="field has-error">' in html  # title is required
    assert '<p class="error">' in html
    assert '<small class="help">help</small>' in html
    assert '<option value="b" selected>' in html
    assert '<div class="field checkbox">' in html
    assert html.index('name="done"') < html.index('<label for="id_done">')


def test_widgets_without_jinja2_templates_use_django_templates():
    renderer = FormRenderer()
    template = renderer.get_template("admin/widgets/foreign_key_raw_id.html")
    assert template.render({"widget": {"attrs": {}, "name": "x"}})
    assert renderer.get_template("admin/widgets/foreign_key_raw_id.html")  # remembered miss


def _view(request):
    return HttpResponse()


urlpatterns = [path("elsewhere/", _view, name="dashboard")]


@pytest.mark.django_db
def test_layout_links_follow_the_url_configuration(client):
    draw = Template("{% load collegium %}{% route 'dashboard' %}|{% route 'people:list' %}")
    assert draw.render(Context()) == "/|/people/"
    with override_settings(ROOT_URLCONF=__name__):
        assert Template("{% load collegium %}{% route 'dashboard' %}").render(Context()) == (
            "/elsewhere/"
        )
    assert draw.render(Context()) == "/|/people/"
