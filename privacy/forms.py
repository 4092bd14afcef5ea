from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.identifiers import normalize_text
from privacy.models import DataSubjectRequest


class DataSubjectRequestForm(forms.Form):
    """A KVKK art. 11 request: validation only; `privacy.services.send_data_subject_request` writes."""

    full_name = forms.CharField(
        label=_("Ad soyad"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-posta adresi"),
        max_length=254,
        help_text=_("Yanıtımızı bu adrese göndereceğiz."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    request_type = forms.ChoiceField(label=_("Talep türü"), choices=DataSubjectRequest.Type.choices)
    text = forms.CharField(
        label=_("Talebiniz"),
        max_length=5000,
        help_text=_("Talebinizi ve varsa başvuru kodunuzu yazın. Kimlik belgesi göndermeyin; gerekirse biz isteriz."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_full_name(self) -> str:
        return normalize_text(self.cleaned_data["full_name"], max_length=150)

    def clean_text(self) -> str:
        return normalize_text(self.cleaned_data["text"], max_length=5000, multiline=True)
