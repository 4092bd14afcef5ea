"""What the billing step shows: a sample message's SMS parts and a month's cost under each option, net and taxed.

One function serves the wizard's page (and its no-script "Hesapla" button) and the JSON endpoint its script calls as
the applicant types, and both render the same template fragments: the numbers on the screen are always the server's
(billing.sms.count_parts and billing.pricing.estimate), never a second computation in the browser.

The sample message is not stored: it may hold a recipient's personal data, and the wizard needs only its part count,
which is worked out again whenever the page is shown with a sample.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from billing import pricing
from billing.models import CreditPackage, TariffTier
from billing.sms import CAPACITY, SmsParts, count_parts
from billing.taxes import Amounts, Rates, with_taxes

ENCODING_LABELS = {
    "gsm": _("GSM standart alfabe"),
    "turkish": _("GSM Türkçe tablo"),
    "unicode": _("Unicode"),
}

# A sample longer than this is not a single SMS campaign message any more (about ten parts).
SAMPLE_MAX_LENGTH = 1600


def normalize_sample(text: str) -> str:
    """A textarea sends line breaks as CR LF; a message sends LF, one character."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class SampleParts:
    parts: SmsParts
    label: str
    single: int  # characters in one part
    per_part: int  # characters per part when split
    reserve: int  # characters counted for the operator's appended code


@dataclass(frozen=True)
class BillingEstimate:
    messages: int | None  # messages a month, as the applicant gave them
    sample: SampleParts | None  # None without a sample message
    estimate: pricing.Estimate | None  # None without a volume
    rates: Rates

    @property
    def parts_per_message(self) -> int:
        """The sample's parts; one part a message when there is no sample."""
        return self.sample.parts.parts if self.sample and self.sample.parts.parts else 1

    @property
    def monthly_parts(self) -> int | None:
        return self.messages * self.parts_per_message if self.messages else None


def sample_parts(text: str) -> SampleParts | None:
    text = normalize_sample(text or "")
    if not text:
        return None
    reserve = settings.PORTAL_SMS_OPERATOR_RESERVE
    parts = count_parts(text, reserve=reserve)
    single, per_part = CAPACITY[parts.encoding]
    return SampleParts(
        parts=parts, label=str(ENCODING_LABELS[parts.encoding]), single=single, per_part=per_part, reserve=reserve
    )


def billing_estimate(
    messages: int | None,
    sample_text: str,
    *,
    packages: list[CreditPackage],
    tiers: list[TariffTier],
    rates: Rates,
) -> BillingEstimate:
    """The sample's parts and the cost of `messages` a month × its parts under each option (no query of its own:
    `packages` come with their `price` annotated, see CreditPackage.objects.priced())."""
    sample = sample_parts(sample_text)
    result = BillingEstimate(messages=messages, sample=sample, estimate=None, rates=rates)
    if not messages:
        return result
    estimate = pricing.estimate(result.monthly_parts, tiers=tiers, packages=packages, rates=rates)
    return BillingEstimate(messages=messages, sample=sample, estimate=estimate, rates=rates)


def with_amounts(packages: list[CreditPackage], rates: Rates) -> list[CreditPackage]:
    """Set `amounts` (net, KDV, ÖİV, total) on each priced package; None where a package has no price yet."""
    for package in packages:
        price = getattr(package, "price", None)
        package.amounts = with_taxes(price, rates) if price is not None else None
    return packages


def fragments(result: BillingEstimate, *, request=None) -> dict[str, str]:
    """The two parts of the page that change as the applicant types, rendered as the page renders them."""
    context = {"billing_estimate": result}
    return {
        "parts_html": render_to_string("onboarding/_sample_parts.html", context, request=request),
        "estimate_html": render_to_string("onboarding/_estimate.html", context, request=request),
    }


def as_json(result: BillingEstimate, *, request=None) -> dict:
    """The endpoint's answer: the counts as numbers (for tests and scripts) and the fragments to show."""
    sample = result.sample
    estimate = result.estimate

    def amounts(value: Amounts | None) -> dict | None:
        if value is None:
            return None
        return {"net": str(value.net), "kdv": str(value.kdv), "oiv": str(value.oiv), "total": str(value.total)}

    return {
        "encoding": sample.parts.encoding if sample else None,
        "encoding_label": sample.label if sample else None,
        "length": sample.parts.length if sample else 0,
        "parts": sample.parts.parts if sample else 0,
        "parts_per_message": result.parts_per_message,
        "monthly_parts": result.monthly_parts,
        "invoiced": amounts(estimate.invoiced) if estimate else None,
        "packages": [{"credits": row.package.credits, "monthly": amounts(row.monthly)} for row in estimate.packages]
        if estimate
        else [],
        **fragments(result, request=request),
    }


def percent(rate: Decimal) -> Decimal:
    """0.2000 → 20, 0.0750 → 7.5: a rate as the percentage people read."""
    value = rate * 100
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
