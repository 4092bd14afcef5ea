from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    reminders = forms.BooleanField(
        label=_("Eksiklerim için hatırlatma e-postaları almak istiyorum"),
        required=False,
        help_text=_(
            "Başvurunuzda eksik bir şey kaldığında en fazla dört kez, artan aralıklarla hatırlatırız. Başvurunuzla "
            "ilgili kararlar (onay, ret, düzeltme isteği, hesabın açılması) bu seçimden bağımsız olarak gönderilir."
        ),
    )
    # Radio buttons in a fieldset: both choices visible at once, and each is read with the question.
    language = forms.ChoiceField(
        label=_("E-postaların dili"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
