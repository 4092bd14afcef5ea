"""The wizard's seven steps, in order: the one definition the services (which steps are complete, what submission
still misses), the views (URLs, titles, progress) and every link into the wizard derive from.

A step's `name` is stored in Application.completed_steps, so it never changes; its `slug` is the URL's Turkish part.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    name: str
    slug: str
    title: Promise
    # What submission says while the step is not complete. None for the documents (the checklist says which are
    # missing) and for the last step (which is the submission itself).
    missing: Promise | None = None


STEPS = (
    Step("type", "kurum-turu", _("Kurum türü"), _("Kurum türü seçilmedi.")),
    Step("details", "kurum-bilgileri", _("Kurum bilgileri"), _("Kurum bilgileri tamamlanmadı.")),
    Step("billing", "odeme", _("Ödeme tipi"), _("Ödeme tipi seçilmedi.")),
    Step("line", "kurumsal-hat", _("Kurumsal hat"), _("Kurumsal hat bilgisi verilmedi.")),
    Step("sender", "sms-basligi", _("SMS başlığı"), _("SMS başlığı adımı tamamlanmadı.")),
    Step("documents", "belgeler", _("Belgeler")),
    Step("review", "onay", _("Onay ve gönderim")),
)
NAMES = [step.name for step in STEPS]
BY_NAME = {step.name: step for step in STEPS}


def slug(name: str) -> str:
    """The URL part of the step called `name` ("documents" → "belgeler")."""
    return BY_NAME[name].slug
