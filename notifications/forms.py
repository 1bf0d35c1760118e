from django import forms

from .models import Delivery, Notification


class PreferencesForm(forms.Form):
    """One choice of delivery per kind of notice."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices.get(kind, Delivery.EMAIL),
            )
