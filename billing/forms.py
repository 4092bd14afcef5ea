"""The customer's billing forms and the billing step's estimate: validation only; services write."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.estimates import SAMPLE_MAX_LENGTH, normalize_sample
from billing.models import CreditPackage

MAX_MONTHLY_MESSAGES = 100_000_000


class WholeNumberField(forms.IntegerField):
    """A whole number written in ASCII digits: int() would take "٤٥" (Arabic-Indic) as 45, and we never show that."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not re.fullmatch(r"-?[0-9]+", value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def monthly_messages_field() -> forms.IntegerField:
    return WholeNumberField(
        label=_("Ayda yaklaşık kaç mesaj göndermeyi düşünüyorsunuz? (isteğe bağlı)"),
        min_value=0,
        max_value=MAX_MONTHLY_MESSAGES,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SampleMessageField(forms.CharField):
    """A message as it would be sent: kept exactly as typed (spaces count), line breaks as one character."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Örnek mesaj (isteğe bağlı)"))
        kwargs.setdefault(
            "help_text",
            _(
                "Göndereceğiniz mesajlara benzer bir metin yapıştırın; kaç SMS parçası tuttuğunu gösterir ve tahmini "
                "buna göre hesaplarız. Metin kaydedilmez."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
        super().__init__(max_length=SAMPLE_MAX_LENGTH, required=False, strip=False, **kwargs)

    def to_python(self, value):
        return normalize_sample(super().to_python(value))


class EstimateForm(forms.Form):
    """What the billing step's script sends as the applicant types: the volume and the sample message."""

    expected_monthly_messages = monthly_messages_field()
    sample_message = SampleMessageField()


class ThresholdForm(forms.Form):
    low_balance_threshold = WholeNumberField(
        label=_("Düşük bakiye uyarı eşiği (kontör)"),
        min_value=1,
        max_value=2_000_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Bakiyeniz bu sayının altına indiğinde size bir kez e-posta göndeririz. Boş bırakırsanız uyarı kapanır."
        ),
    )


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CreditPackage) -> str:
        return str(obj)


class PackageSelectForm(forms.Form):
    """The first page of an order: which package (its confirmation page comes next)."""

    package = PackageChoiceField(
        label=_("Kontör paketi"),
        queryset=CreditPackage.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Lütfen bir paket seçin."),
            "invalid_choice": _("Bu paket artık satışta değil."),
        },
    )


class OrderForm(PackageSelectForm):
    """The confirmation page's order: the package, and the key that makes a double submit one order."""

    key = forms.UUIDField(widget=forms.HiddenInput)
