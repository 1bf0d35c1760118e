from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PastedTextField

from .services import REASON_LENGTH


class RevokeForm(forms.Form):
    reason = PastedTextField(
        label=_("reason for revocation"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
