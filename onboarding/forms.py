"""The wizard's forms: validation only. Each returns cleaned values a service writes."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.forms import SampleMessageField, monthly_messages_field
from billing.models import BillingType, CreditPackage, Plan
from onboarding import identifiers, turkish
from onboarding.models import Application, Condition, InstitutionType, SenderIdBasis

YES_NO = [("yes", _("Evet")), ("no", _("Hayır"))]
MAX_SENDER_IDS = 5


def _yes_no_field(label, help_text="") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Lütfen Evet veya Hayır seçin.")},
    )


class InstitutionTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InstitutionType) -> str:
        return obj.localized("name")


class InstitutionTypeForm(forms.Form):
    institution_type = InstitutionTypeChoiceField(
        label=_("Kurumunuzun türü"),
        queryset=InstitutionType.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Lütfen kurumunuzun türünü seçin.")},
    )


class TextField(forms.CharField):
    """A single- or multi-line text kept exactly as typed (NFC), with control characters refused."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return identifiers.normalize_text(value, max_length=self.max_length, multiline=self.multiline)


class InstitutionDetailsForm(forms.Form):
    legal_name = TextField(label=_("Unvan (tam ticari / resmi ad)"), max_length=250)
    tax_number = forms.CharField(
        label=_("Vergi kimlik numarası"),
        max_length=40,
        help_text=_("10 haneli VKN. Şahıs şirketleri 11 haneli T.C. kimlik numarası da girebilir."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tax_office = TextField(label=_("Vergi dairesi"), max_length=100)
    address = TextField(label=_("Adres"), max_length=500, multiline=True, widget=forms.Textarea(attrs={"rows": 3}))
    province = forms.ChoiceField(label=_("İl"), choices=[("", _("İl seçin")), *turkish.PROVINCES])
    district = TextField(label=_("İlçe"), max_length=100)
    phone = forms.CharField(
        label=_("Kurum telefonu"), max_length=40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(label=_("Kurum e-posta adresi"), max_length=254)
    signatory_name = TextField(label=_("Yetkilinin adı soyadı"), max_length=150)
    signatory_title = TextField(label=_("Yetkilinin unvanı / görevi"), max_length=100)
    signatory_tckn = forms.CharField(
        label=_("Yetkilinin T.C. kimlik numarası"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    signatory_mobile = forms.CharField(
        label=_("Yetkilinin cep telefonu"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, application: Application, conditions: list[Condition], **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.conditions = conditions
        letter = application.institution_type.letter_template if application.institution_type else None
        if letter is not None and ("date" in letter.blanks or "day" in letter.blanks):
            self.fields["decision_date"] = forms.DateField(
                label=_("Karar tarihi"),
                required=False,
                help_text=_("Yetki yazısında yer alır; boş bırakırsanız yazıda elle doldurulacak bir boşluk kalır."),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        for condition in conditions:
            self.fields[f"condition_{condition.code}"] = _yes_no_field(
                condition.localized("question"), condition.localized("help_text")
            )

    @property
    def condition_fields(self):
        return [self[f"condition_{condition.code}"] for condition in self.conditions]

    def clean_tax_number(self) -> tuple[str, str]:
        number, kind = identifiers.validate_tax_number(self.cleaned_data["tax_number"])
        if kind == "tckn" and self.application.institution_type.code != "sole_proprietorship":
            raise ValidationError(
                _(
                    "Bu kurum türü için 10 haneli vergi kimlik numarası girin; T.C. kimlik numarası yalnızca "
                    "şahıs şirketleri için kabul edilir."
                ),
                code="tckn_not_allowed",
            )
        return number, kind

    def clean_phone(self) -> str:
        return identifiers.normalize_phone(self.cleaned_data["phone"])

    def clean_signatory_tckn(self) -> str:
        return identifiers.validate_tckn(self.cleaned_data["signatory_tckn"])

    def clean_signatory_mobile(self) -> str:
        return identifiers.normalize_mobile(self.cleaned_data["signatory_mobile"])

    # The fields whose cleaned value is stored as it is; the tax number, dates and answers are shaped below.
    PLAIN_FIELDS = (
        "legal_name",
        "tax_office",
        "address",
        "province",
        "district",
        "phone",
        "email",
        "signatory_name",
        "signatory_title",
        "signatory_tckn",
        "signatory_mobile",
    )

    def details(self) -> dict:
        """The cleaned values in the shape `save_institution_details` takes."""
        data = self.cleaned_data
        number, kind = data["tax_number"]
        return {name: data[name] for name in self.PLAIN_FIELDS} | {
            "tax_number": number,
            "tax_number_kind": kind,
            "decision_date": data.get("decision_date"),
            "condition_answers": {c.code: data[f"condition_{c.code}"] for c in self.conditions},
        }

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {name: getattr(application, name) for name in (*cls.PLAIN_FIELDS, "tax_number", "decision_date")}
        for name in ("phone", "signatory_mobile"):
            initial[name] = turkish.format_phone(initial[name])
        for code, answer in (application.condition_answers or {}).items():
            initial[f"condition_{code}"] = "yes" if answer else "no"
        return initial


class BillingTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BillingType) -> str:
        return obj.localized("name")


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CreditPackage) -> str:
        return str(obj)


class BillingForm(forms.Form):
    billing_type = BillingTypeChoiceField(
        label=_("Ödeme tipi"),
        queryset=BillingType.objects.all(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Lütfen bir ödeme tipi seçin.")},
    )
    credit_package = PackageChoiceField(
        label=_("Kontör paketi"),
        queryset=CreditPackage.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
    )
    expected_monthly_messages = monthly_messages_field()
    # Only for the estimate's part count; not stored (see billing.estimates).
    sample_message = SampleMessageField()
    e_invoice_user = forms.TypedChoiceField(
        label=_("e-Fatura mükellefi misiniz?"),
        help_text=_(
            "GİB'in e-Fatura sistemine kayıtlı kurumlara e-Fatura, diğerlerine e-Arşiv fatura düzenlenir. "
            "Faturalı ödemede zorunludur."
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        billing_type = data.get("billing_type")
        if billing_type is not None and billing_type.code == Plan.PREPAID and not data.get("credit_package"):
            self.add_error("credit_package", _("Ön ödemeli için bir kontör paketi seçin."))
        if billing_type is not None and billing_type.code == Plan.INVOICED and data.get("e_invoice_user") is None:
            self.add_error("e_invoice_user", _("Faturalı ödemede e-Fatura mükellefi olup olmadığınızı seçin."))
        return data


class CorporateLineForm(forms.Form):
    has_corporate_line = _yes_no_field(_("Kurumunuzun adına kayıtlı kurumsal bir hat var mı?"))
    number = forms.CharField(
        label=_("Kurumsal hat numarası"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Cep telefonu numarası, örneğin 0532 123 45 67."),
    )
    plan = forms.ChoiceField(
        label=_("Kurumsal hattı nasıl edineceksiniz?"),
        choices=Application.LinePlan.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        data = super().clean()
        has_line = data.get("has_corporate_line")
        if has_line is True:
            raw = data.get("number", "")
            try:
                data["number"] = identifiers.normalize_mobile(raw)
            except ValidationError as error:
                self.add_error("number", error)
        elif has_line is False and not data.get("plan"):
            self.add_error("plan", _("Lütfen kurumsal hattı nasıl edineceğinizi seçin."))
        return data


class CorporateLineNumberForm(forms.Form):
    """The corporate line's number given after submission (the status page), checked as on the line step."""

    number = CorporateLineForm.base_fields["number"]

    def clean_number(self):
        return identifiers.normalize_mobile(self.cleaned_data["number"])


class SenderIdBasisChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SenderIdBasis) -> str:
        return obj.localized("name")


class SenderIdForm(forms.Form):
    """Up to five sender IDs, each with what it stands for (which decides the proof the checklist asks for), and
    the İYS question: will the institution send commercial messages?"""

    sends_commercial = _yes_no_field(
        _("Bu hesapla ticari ileti (kampanya, indirim, ürün veya hizmet tanıtımı) gönderecek misiniz?"),
        _(
            "Ticari elektronik iletiler yalnızca onay vermiş alıcılara gönderilebilir ve bu onaylar İleti Yönetim "
            "Sistemi'nde (İYS) kayıtlı olmalıdır. “Evet” derseniz kurumunuzun iys.org.tr üzerinden İYS'ye "
            "kaydolması ve aldığı marka kodunu bize bildirmesi gerekir; İYS'de onayı olmayan alıcılara ticari "
            "iletiniz gönderilmez. Kamu kurumlarının vatandaşları bilgilendirmesi, meslek kuruluşlarının üyelerine "
            "yazması ve yalnızca bilgilendirme amaçlı iletiler İYS kapsamı dışındadır."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bases = SenderIdBasis.objects.filter(is_active=True).select_related("condition")
        for index in range(MAX_SENDER_IDS):
            self.fields[f"sender_{index}"] = forms.CharField(
                label=_("SMS başlığı %(number)s") % {"number": index + 1},
                max_length=40,
                required=False,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "spellcheck": "false", "data-sender-lint": "1", "maxlength": 11}
                ),
            )
            self.fields[f"basis_{index}"] = SenderIdBasisChoiceField(
                label=_("%(number)s. başlık neyi temsil ediyor?") % {"number": index + 1},
                queryset=bases,
                required=False,
                empty_label=_("Seçin"),
            )
        # The one query for the five selects, and for the help under them.
        self.bases = list(bases)
        for index in range(MAX_SENDER_IDS):
            self.fields[f"basis_{index}"].choices = [("", _("Seçin"))] + [
                (basis.pk, basis.localized("name")) for basis in self.bases
            ]

    @property
    def rows(self):
        return [(self[f"sender_{i}"], self[f"basis_{i}"]) for i in range(MAX_SENDER_IDS)]

    def clean(self):
        data = super().clean()
        for index in range(MAX_SENDER_IDS):
            name = f"sender_{index}"
            value = (data.get(name) or "").strip()
            if value:
                try:
                    data[name] = identifiers.validate_sender_id(value)
                except ValidationError as error:
                    self.add_error(name, error)
                if not data.get(f"basis_{index}") and f"basis_{index}" not in self.errors:
                    self.add_error(
                        f"basis_{index}",
                        ValidationError(
                            _("Bu başlığın neyi temsil ettiğini seçin; istenecek belge buna göre belirlenir."),
                            code="basis_required",
                        ),
                    )
        return data

    def values(self) -> list[str]:
        return [
            self.cleaned_data[f"sender_{i}"] for i in range(MAX_SENDER_IDS) if self.cleaned_data.get(f"sender_{i}")
        ]

    def bases_by_value(self) -> dict:
        return {
            self.cleaned_data[f"sender_{i}"]: self.cleaned_data.get(f"basis_{i}")
            for i in range(MAX_SENDER_IDS)
            if self.cleaned_data.get(f"sender_{i}")
        }


class ReviewForm(forms.Form):
    """The submit step: the notice's version the page showed, and the optional consents, none of them required."""

    notice_version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    marketing_email = forms.BooleanField(
        label=_("Duyuru ve kampanya e-postaları almak istiyorum (isteğe bağlı)."),
        help_text=_("Başvurunuz bu seçime bağlı değildir; onayınızı dilediğiniz zaman geri alabilirsiniz."),
        required=False,
    )


class WithdrawForm(forms.Form):
    reason = TextField(
        label=_("Neden geri çekiyorsunuz? (isteğe bağlı)"),
        help_text=_("İnceleme ekibimiz okur; yazmak zorunda değilsiniz."),
        max_length=500,
        multiline=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


CARGO_COMPANIES = [
    "Yurtiçi Kargo",
    "Aras Kargo",
    "MNG Kargo",
    "PTT Kargo",
    "Sürat Kargo",
    "UPS Kargo",
    "DHL",
    "HepsiJET",
    "Kolay Gelsin",
    "Trendyol Express",
]


class CargoForm(forms.Form):
    company = TextField(
        label=_("Kargo firması"),
        max_length=60,
        widget=forms.TextInput(attrs={"list": "cargo-companies", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(
        label=_("Kargo takip numarası"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_tracking_number(self) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data["tracking_number"]).strip().replace(" ", "")
        if not re.fullmatch(r"[A-Za-z0-9-]{6,40}", value):
            raise ValidationError(
                _("Takip numarası 6–40 karakter olmalı; yalnızca harf, rakam ve tire kullanılabilir."),
                code="invalid_tracking_number",
            )
        return value
