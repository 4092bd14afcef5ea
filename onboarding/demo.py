"""The embedded mode's demo applications: one due for each kind of reminder, so `make run` shows the digests at once.

Each is built through the services production uses (the wizard, uploads, submission, the reviewer's decisions), then
its timestamps are moved days into the past with QuerySet.update (created_at and updated_at are auto fields, which
no service sets). Idempotent: a scenario whose application (found by its legal name) or account exists is skipped,
so a second run adds nothing and moves nothing.

What each one is due for (onboarding/due.py has the rules; the first reminder goes 1 day after an item became due):
- a draft started 2 days ago with no documents: *draft* (finish and submit);
- changes requested, the rejected document decided 2 days ago: *rejected*, and *cargo*;
- submitted 3 days ago without a corporate line or cargo: *corporate line*, *cargo*; for reviewers *new submission*
  and *document waiting past the SLA*;
- documents approved 25 days ago, cargo recorded 10 days ago, originals missing: *originals*; for reviewers
  *originals overdue*;
- an account registered 2 days ago, address not confirmed: *confirm e-mail*.

Then the lived-in portal (load_lived_in_applications): two dozen applications of every institution type, in every
state, by several demo applicants, each with real-looking documents (onboarding/demo_documents.py), built through
the same services, with fixed references and their timestamps spread over the last weeks (see Timeline).
"""

import bisect
import functools
import io
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter
from stdnum.tr import tckimlik, vkn

from accounts import roles
from accounts import services as account_services
from accounts.models import User
from billing.models import BillingType, CreditPackage
from documents.models import Document, RejectionReason
from documents.services import add_document_file
from onboarding import demo_documents, services, workflow
from onboarding.identifiers import transliterate_tr
from onboarding.models import Application, ApplicationEvent, InstitutionType

UNCONFIRMED_EMAIL = "yeni@demo.local"
UNCONFIRMED_PASSWORD = "Yeni-Demo-2026"  # noqa: S105 (a demo login, printed by load_demo_data)

DETAILS = {
    "tax_number": "4540536920",
    "tax_number_kind": "vkn",
    "tax_office": "Şişli",
    "address": "Halaskargazi Cad. No: 1\nŞişli",
    "province": "34",
    "district": "Şişli",
    "phone": "+902122345678",
    "email": "bilgi@sisli.test",
    "signatory_name": "Ömer Çağrı Işık",
    "signatory_title": "Belediye Başkanı",
    "signatory_tckn": "10000000146",
    "signatory_mobile": "+905321234567",
    "decision_date": None,
    "condition_answers": {},
}

# The legal names mark the scenarios (a second run finds them).
DRAFT_NAME = "Çankaya Belediyesi Basın Yayın Müdürlüğü"
CHANGES_NAME = "Ödemiş Belediyesi Kültür Müdürlüğü"
SUBMITTED_NAME = "Şişli Belediyesi İmar ve Şehircilik Müdürlüğü"
ORIGINALS_NAME = "Üsküdar Belediyesi Zabıta Müdürlüğü"
# Their fixed references (REFERENCE_ALPHABET), so a newcomer's notes and screenshots match.
REFERENCES = {
    DRAFT_NAME: "TS-DEMR-TSK2",
    CHANGES_NAME: "TS-DEMR-DZT2",
    SUBMITTED_NAME: "TS-DEMR-GND2",
    ORIGINALS_NAME: "TS-DEMR-ASR2",
}


def _pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def _with_reference(application: Application, reference: str) -> Application:
    """Give a new draft a fixed reference (its history's first record too)."""
    Application.objects.filter(pk=application.pk).update(reference=reference)
    Application.history.filter(id=application.pk).update(reference=reference)
    application.refresh_from_db()
    return application


def _draft(applicant: User, legal_name: str, *, has_corporate_line: bool = True) -> Application:
    """Every wizard step before the documents, as the applicant would do them."""
    application = _with_reference(services.start_application(applicant), REFERENCES[legal_name])
    application = workflow.choose_institution_type(
        application, institution_type=InstitutionType.objects.get(code="municipality")
    )
    application = services.save_institution_details(application, details={**DETAILS, "legal_name": legal_name})
    application = services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code="prepaid"),
        credit_package=CreditPackage.objects.get(credits=5_000),
        expected_monthly_messages=2_000,
    )
    if has_corporate_line:
        application = services.save_corporate_line(application, has_corporate_line=True, number="+905321234567")
    else:
        application = services.save_corporate_line(
            application, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE
        )
    return services.save_sender_ids(application, values=["DEMOBLD"])


def _submitted(applicant: User, legal_name: str, **kwargs) -> Application:
    application = _draft(applicant, legal_name, **kwargs)
    for item in services.checklist(application):
        if item.is_required and not item.has_files:
            add_document_file(application, item.requirement, uploaded=_pdf("belge.pdf"), actor=applicant)
    return services.submit_application(application, actor=applicant)


def _live_documents(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application, is_live=True).order_by("pk"))


def _move_back(application: Application, **ago: timedelta) -> None:
    """Set the application's timestamps to these durations before now (auto fields cannot be set otherwise)."""
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(**{field: now - delta for field, delta in ago.items()})


def add_draft(applicant: User) -> Application:
    """A draft started 2 days ago and untouched since, its documents missing."""
    application = _draft(applicant, DRAFT_NAME)
    _move_back(application, created_at=timedelta(days=2), updated_at=timedelta(days=2))
    return application


def add_changes_requested(applicant: User, reviewer: User) -> Application:
    """Submitted 5 days ago; the reviewer rejected one document 2 days ago and approved the others."""
    application = _submitted(applicant, CHANGES_NAME)
    documents = _live_documents(application)
    workflow.reject_document(
        documents[0], actor=reviewer, reason=RejectionReason.objects.order_by("position").first()
    )
    for document in documents[1:]:
        workflow.approve_document(document, actor=reviewer)
    application = services.request_changes(application, actor=reviewer, note="İmza eksik.")
    days = timedelta(days=1)
    Document.objects.filter(application=application).update(created_at=timezone.now() - 5 * days)
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(decided_at=timezone.now() - 2 * days)
    _move_back(application, created_at=6 * days, submitted_at=5 * days, updated_at=2 * days)
    return application


def add_submitted_without_line(applicant: User) -> Application:
    """Submitted 3 days ago with no corporate line yet, no cargo, and no document decided (past the review SLA)."""
    application = _submitted(applicant, SUBMITTED_NAME, has_corporate_line=False)
    days = timedelta(days=1)
    Document.objects.filter(application=application).update(created_at=timezone.now() - 3 * days)
    _move_back(application, created_at=4 * days, submitted_at=3 * days, updated_at=3 * days)
    return application


def add_awaiting_originals(applicant: User, reviewer: User) -> Application:
    """Scans approved 25 days ago, cargo recorded 10 days ago, no original received."""
    application = _submitted(applicant, ORIGINALS_NAME)
    for document in _live_documents(application):
        workflow.approve_document(document, actor=reviewer)
    application = services.approve_documents(application, actor=reviewer)
    application = services.record_cargo(application, company="Yurtiçi Kargo", tracking_number="123456789012")
    days = timedelta(days=1)
    now = timezone.now()
    Document.objects.filter(application=application).update(created_at=now - 28 * days, decided_at=now - 25 * days)
    ApplicationEvent.objects.filter(application=application, to_status=Application.Status.IN_REVIEW).update(
        created_at=now - 26 * days
    )
    ApplicationEvent.objects.filter(application=application, to_status=Application.Status.AWAITING_ORIGINALS).update(
        created_at=now - 25 * days
    )
    _move_back(
        application, created_at=30 * days, submitted_at=28 * days, cargo_recorded_at=10 * days, updated_at=10 * days
    )
    return application


def add_unconfirmed_account() -> User:
    """Registered 2 days ago (the confirmation e-mail was sent then), address never confirmed."""
    user = account_services.register_applicant(
        email=UNCONFIRMED_EMAIL, password=UNCONFIRMED_PASSWORD, full_name="Yeni Başvuran", mobile="", language="tr"
    )
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=2))
    return user


@transaction.atomic
def load_due_applications(applicant: User, reviewer: User) -> list[str]:
    """Add whichever scenario is missing; returns what was added (empty on a second run)."""
    added: list[str] = []
    existing = set(Application.objects.filter(applicant=applicant).values_list("legal_name", flat=True))
    if DRAFT_NAME not in existing:
        added.append(add_draft(applicant).reference)
    if CHANGES_NAME not in existing:
        added.append(add_changes_requested(applicant, reviewer).reference)
    if SUBMITTED_NAME not in existing:
        added.append(add_submitted_without_line(applicant).reference)
    if ORIGINALS_NAME not in existing:
        added.append(add_awaiting_originals(applicant, reviewer).reference)
    if not User.objects.filter(email__iexact=UNCONFIRMED_EMAIL).exists():
        added.append(add_unconfirmed_account().email)
    return added


# --- The lived-in portal ------------------------------------------------------------------------------------------

DEMO_APPLICANT_PASSWORD = "Basvuru-Demo-2026"  # noqa: S105 (the demo applicants' login, printed by load_demo_data)

# The demo applicants besides basvuru@demo.local ("ayse"): (e-mail, full name).
APPLICANTS = {
    "hasan": ("hasan.demir@demo.local", "Hasan Demir"),
    "elif": ("elif.kaya@demo.local", "Elif Kaya"),
    "mustafa": ("mustafa.aydin@demo.local", "Mustafa Aydın"),
    "fatma": ("fatma.sahin@demo.local", "Fatma Şahin"),
    "emre": ("emre.celik@demo.local", "Emre Çelik"),
    "selin": ("selin.koc@demo.local", "Selin Koç"),
    "burak": ("burak.yildiz@demo.local", "Burak Yıldız"),
}

# Each province's landline area code (the demo's institution phones).
AREA_CODES = {
    "61": "462",
    "06": "312",
    "07": "242",
    "16": "224",
    "26": "222",
    "34": "216",
    "35": "232",
    "41": "262",
    "54": "264",
}
AREA_CODES_EUROPE = {"Bakırköy": "212"}

S = Application.Status


@dataclass(frozen=True)
class Scenario:
    """One lived-in application: who, what, and how far it got (the fields after `state` shape that journey)."""

    reference: str
    owner: str  # "ayse" (basvuru@demo.local) or a key of APPLICANTS
    type_code: str
    state: str
    legal_name: str
    province: str
    district: str
    address: str
    signatory: tuple[str, str]  # name, title
    started_days_ago: int
    last_days_ago: float  # when the last step happened
    tax_office: str = ""  # the district's, unless given
    sender_ids: tuple[str, ...] = ()
    billing: str = "prepaid"
    package: int = 5_000
    has_line: bool = True
    conditions: tuple[tuple[str, bool], ...] = ()
    tckn: bool = False  # a sole proprietorship's T.C. kimlik numarası as its tax number
    missing: tuple[str, ...] = ()  # draft: document kinds not uploaded yet
    stopped_before: str = ""  # draft: the wizard step not reached ("documents" stops before any upload)
    extras: tuple[str, ...] = ()  # optional document kinds sent too
    approved: tuple[str, ...] = ()  # in review: the kinds approved so far
    rejected: tuple[tuple[str, str, str], ...] = ()  # (kind, catalogue reason, note)
    cargo: tuple[str, str] = ()  # (company, tracking number)
    originals: tuple[str, ...] = ()  # kinds whose original arrived ("*": all)
    reason: str = ""  # the changes-requested note, the refusal or the withdrawal reason


SCENARIOS = [
    # Drafts with missing items
    Scenario(
        "TS-DEMB-KZGN",
        "mustafa",
        "headman_office",
        S.DRAFT,
        "Kuzguncuk Mahallesi Muhtarlığı",
        "34",
        "Üsküdar",
        "Kuzguncuk Mah. İcadiye Cad. No: 12",
        ("Mustafa Aydın", "Mahalle Muhtarı"),
        6,
        4,
        sender_ids=("KUZGUNCUK",),
        package=1_000,
        conditions=(("keeps_decision_book", True),),
        missing=("decision_book_first_page", "election_certificate"),
    ),
    Scenario(
        "TS-DEMB-GNSS",
        "fatma",
        "association",
        S.DRAFT,
        "Bornova Güneşli Sitesi Yönetimi",
        "35",
        "Bornova",
        "Kazımdirik Mah. 372/5 Sok. No: 4",
        ("Fatma Şahin", "Site Yöneticisi"),
        3,
        2,
        package=1_000,
        has_line=False,
        missing=("sms_decision", "decision_book_first_page"),
    ),
    Scenario(
        "TS-DEMB-DPZR",
        "selin",
        "school",
        S.DRAFT,
        "Odunpazarı Anadolu Lisesi Müdürlüğü",
        "26",
        "Odunpazarı",
        "Akarbaşı Mah. Atatürk Bulvarı No: 41",
        ("Gülşen Ertürk", "Okul Müdürü"),
        2,
        2,
        stopped_before="documents",
    ),
    # Submitted, waiting for a first decision
    Scenario(
        "TS-DEMB-SKRH",
        "elif",
        "hospital",
        S.SUBMITTED,
        "Özel Sakarya Hastanesi",
        "54",
        "Adapazarı",
        "Tığcılar Mah. Atatürk Bulvarı No: 118",
        ("Dr. Kenan Öztürk", "Yönetim Kurulu Başkanı"),
        4,
        1,
        sender_ids=("SAKARYAHST",),
        package=10_000,
        conditions=(("private_hospital", True),),
        extras=("signature_declaration",),
    ),
    Scenario(
        "TS-DEMB-KSKD",
        "fatma",
        "association",
        S.SUBMITTED,
        "Karşıyaka Spor Kulübü Derneği",
        "35",
        "Karşıyaka",
        "Bahriye Üçok Mah. Cemal Gürsel Cad. No: 310",
        ("Necati Güler", "Dernek Başkanı"),
        5,
        2,
        sender_ids=("KARSIYAKA",),
    ),
    Scenario(
        "TS-DEMB-TPBS",
        "selin",
        "school",
        S.SUBMITTED,
        "Tepebaşı Atatürk İlkokulu Müdürlüğü",
        "26",
        "Tepebaşı",
        "Hoşnudiye Mah. İsmet İnönü Cad. No: 65",
        ("Selin Koç", "Okul Müdürü"),
        3,
        0.2,
        package=1_000,
    ),
    # In review: some documents decided
    Scenario(
        "TS-DEMB-KRTP",
        "hasan",
        "municipality",
        S.IN_REVIEW,
        "Kartepe Belediyesi",
        "41",
        "Kartepe",
        "Uzuntarla Mah. Şehit Er Hasan Yılmaz Cad. No: 1",
        ("Mustafa Kocaman", "Belediye Başkanı"),
        9,
        1,
        sender_ids=("KARTEPEBLD",),
        billing="invoiced",
        approved=("council_decision", "id_copy"),
    ),
    Scenario(
        "TS-DEMB-YMMR",
        "ayse",
        "sole_proprietorship",
        S.IN_REVIEW,
        "Yılmaz Mimarlık – Ayşe Yılmaz",
        "34",
        "Kadıköy",
        "Caferağa Mah. Moda Cad. No: 77 D: 3",
        ("Ayşe Yılmaz", "İşletme Sahibi"),
        7,
        2,
        tax_office="Kadıköy",
        sender_ids=("YILMAZMIM",),
        package=1_000,
        tckn=True,
        approved=("sms_contract", "tax_plate"),
    ),
    Scenario(
        "TS-DEMB-ZTBP",
        "fatma",
        "chamber",
        S.IN_REVIEW,
        "İzmir Tabip Odası",
        "35",
        "Konak",
        "Alsancak Mah. Cumhuriyet Bulvarı No: 143",
        ("Dr. Lütfi Çamlı", "Yönetim Kurulu Başkanı"),
        8,
        1,
        sender_ids=("IZMIRTABIP",),
        billing="invoiced",
        approved=("council_decision",),
    ),
    Scenario(
        "TS-DEMB-MRTP",
        "burak",
        "political_party",
        S.IN_REVIEW,
        "Yenilik Partisi Muratpaşa İlçe Başkanlığı",
        "07",
        "Muratpaşa",
        "Elmalı Mah. Şehit Binbaşı Cengiz Toytunç Cad. No: 21",
        ("Burak Yıldız", "İlçe Başkanı"),
        6,
        3,
        package=10_000,
        approved=("sms_letter",),
    ),
    # Changes requested, with reasons
    Scenario(
        "TS-DEMB-KZYK",
        "hasan",
        "association",
        S.CHANGES_REQUESTED,
        "Türk Kızılay Kocaeli Şubesi",
        "41",
        "İzmit",
        "Karabaş Mah. İstiklal Cad. No: 9",
        ("Ahmet Karaca", "Şube Başkanı"),
        14,
        3,
        sender_ids=("KIZILAY41",),
        package=10_000,
        rejected=(("decision_book_first_page", "Noter onayı eksik", "İlk sayfada noter mühürü görünmüyor."),),
        reason="Karar defterinin noter onaylı ilk sayfasını yeniden yükleyin.",
    ),
    Scenario(
        "TS-DEMB-NDXJ",
        "emre",
        "company",
        S.CHANGES_REQUESTED,
        "Anadolu Lojistik ve Dış Ticaret A.Ş.",
        "06",
        "Çankaya",
        "Kızılırmak Mah. Dumlupınar Bulvarı No: 266 Kat: 7",
        ("Emre Çelik", "Genel Müdür"),
        12,
        2,
        sender_ids=("ANADOLULOJ",),
        package=50_000,
        rejected=(
            (
                "tax_plate",
                "Belgenin geçerlilik süresi dolmuş",
                "2024 yılına ait levha; güncel yılın levhası gerekli.",
            ),
            ("id_copy", "Kimlik fotokopisinin ön ve arka yüzü birlikte olmalı", ""),
        ),
        reason="İki belgeyi güncelleyip yeniden gönderin.",
    ),
    Scenario(
        "TS-DEMB-TRBZ",
        "burak",
        "political_party",
        S.CHANGES_REQUESTED,
        "Yenilik Partisi Trabzon İl Başkanlığı",
        "61",
        "Ortahisar",
        "Kemerkaya Mah. Kahramanmaraş Cad. No: 14",
        ("Kadir Aksoy", "İl Başkanı"),
        16,
        5,
        package=10_000,
        rejected=(("sms_letter", "Mühür / kaşe eksik", "Parti mührü ve il başkanının kaşesi yok."),),
        reason="Yetki yazısını mühürlü ve kaşeli olarak yeniden yükleyin.",
    ),
    # Awaiting originals, with cargo
    Scenario(
        "TS-DEMB-SKEA",
        "elif",
        "hospital",
        S.AWAITING_ORIGINALS,
        "Sakarya Eğitim ve Araştırma Hastanesi",
        "54",
        "Adapazarı",
        "Korucuk Mah. Konuralp Bulvarı No: 81",
        ("Prof. Dr. Hülya Demirtaş", "Başhekim"),
        21,
        3,
        sender_ids=("SAKARYAEAH",),
        billing="invoiced",
        conditions=(("private_hospital", False),),
        cargo=("Yurtiçi Kargo", "304912776120"),
        originals=("sms_decision",),
    ),
    Scenario(
        "TS-DEMB-SGMF",
        "selin",
        "school",
        S.AWAITING_ORIGINALS,
        "Eskişehir Osmangazi Üniversitesi Mühendislik Fakültesi",
        "26",
        "Odunpazarı",
        "Büyükdere Mah. Prof. Dr. Nabi Avcı Bulvarı No: 4",
        ("Prof. Dr. Cem Erdoğan", "Dekan"),
        18,
        6,
        sender_ids=("OGUMUH",),
        billing="invoiced",
        cargo=("Aras Kargo", "2087331945"),
    ),
    Scenario(
        "TS-DEMB-NTAY",
        "burak",
        "political_party",
        S.AWAITING_ORIGINALS,
        "Yenilik Partisi Antalya İl Başkanlığı",
        "07",
        "Muratpaşa",
        "Kızıltoprak Mah. Aspendos Bulvarı No: 58",
        ("Serpil Güneş", "İl Başkanı"),
        20,
        8,
        package=10_000,
    ),
    # Approved: every original arrived, the account not open yet
    Scenario(
        "TS-DEMB-CMHR",
        "mustafa",
        "headman_office",
        S.APPROVED,
        "Cumhuriyet Mahallesi Muhtarlığı",
        "16",
        "Nilüfer",
        "Cumhuriyet Mah. Gazi Cad. No: 5",
        ("Mustafa Aydın", "Mahalle Muhtarı"),
        26,
        1,
        package=1_000,
        conditions=(("keeps_decision_book", False),),
        cargo=("PTT Kargo", "KP0193384752"),
        originals=("*",),
    ),
    Scenario(
        "TS-DEMB-GBZT",
        "hasan",
        "chamber",
        S.APPROVED,
        "Gebze Ticaret Odası",
        "41",
        "Gebze",
        "Hacı Halil Mah. İstanbul Cad. No: 10",
        ("Nail Çiler", "Yönetim Kurulu Başkanı"),
        24,
        2,
        sender_ids=("GEBZETO",),
        billing="invoiced",
        cargo=("MNG Kargo", "771204398"),
        originals=("*",),
    ),
    # Active: the account is open (billing.accounts.open_account)
    Scenario(
        "TS-DEMB-KCSN",
        "hasan",
        "chamber",
        S.ACTIVE,
        "Kocaeli Sanayi Odası",
        "41",
        "İzmit",
        "Kozluk Mah. Cumhuriyet Cad. No: 2",
        ("Ayhan Zeytinoğlu", "Yönetim Kurulu Başkanı"),
        30,
        4,
        sender_ids=("KOSO",),
        billing="invoiced",
        cargo=("Yurtiçi Kargo", "304877120953"),
        originals=("*",),
    ),
    Scenario(
        "TS-DEMB-CBSM",
        "emre",
        "sole_proprietorship",
        S.ACTIVE,
        "Emre Çelik Bilişim Hizmetleri",
        "06",
        "Yenimahalle",
        "Ostim OSB Mah. 1203. Cad. No: 17",
        ("Emre Çelik", "İşletme Sahibi"),
        28,
        2,
        tax_office="Ostim",
        sender_ids=("CELIKBLSM",),
        package=5_000,
        tckn=True,
        cargo=("Aras Kargo", "2087120344"),
        originals=("*",),
    ),
    # Rejected for good
    Scenario(
        "TS-DEMB-MDKR",
        "ayse",
        "company",
        S.REJECTED,
        "Moda Kırtasiye Ticaret Ltd. Şti.",
        "34",
        "Kadıköy",
        "Caferağa Mah. Bahariye Cad. No: 30",
        ("Ayşe Yılmaz", "Şirket Müdürü"),
        15,
        9,
        tax_office="Kadıköy",
        rejected=(("tax_plate", "Unvan vergi levhasıyla uyuşmuyor", ""),),
        reason="Vergi levhasındaki unvan ile başvurudaki unvan farklı ve şirket tasfiye halinde görünüyor; "
        "yeni unvanla yeni bir başvuru yapabilirsiniz.",
    ),
    Scenario(
        "TS-DEMB-BRDY",
        "fatma",
        "association",
        S.REJECTED,
        "Bornova Dayanışma ve Yardımlaşma Derneği",
        "35",
        "Bornova",
        "Kazımdirik Mah. Mustafa Kemal Cad. No: 88",
        ("Hüseyin Tan", "Dernek Başkanı"),
        19,
        11,
        rejected=(
            ("sms_decision", "İmzalayan kişinin yetkisi belgelenmemiş", "Yönetim kurulu listesi güncel değil."),
        ),
        reason="Dernekler Bilgi Sisteminde derneğin feshedildiği görünüyor; başvuru kabul edilemez.",
    ),
    # Withdrawn
    Scenario(
        "TS-DEMB-BSKG",
        "emre",
        "company",
        S.WITHDRAWN,
        "Başkent Gıda Sanayi ve Ticaret Ltd. Şti.",
        "06",
        "Sincan",
        "Osmanlı Mah. 2. OSB 12. Cad. No: 3",
        ("Murat Ekinci", "Şirket Müdürü"),
        22,
        13,
        package=10_000,
        reason="Kurum, toplu SMS hizmetini başka bir firmadan almaya karar verdi.",
    ),
    Scenario(
        "TS-DEMB-YSKY",
        "mustafa",
        "headman_office",
        S.WITHDRAWN,
        "Yeşilköy Mahallesi Muhtarlığı",
        "34",
        "Bakırköy",
        "Yeşilköy Mah. İstasyon Cad. No: 2",
        ("Hatice Yavuz", "Mahalle Muhtarı"),
        40,
        7,
        package=1_000,
        conditions=(("keeps_decision_book", False),),
        missing=("sms_decision", "election_certificate"),
        reason="Taslak 30 günü aşkın süredir tamamlanmadı; gerekirse yeni bir başvuru açabilirsiniz.",
    ),
]


def _digits(seed: str, count: int) -> str:
    """`count` digits, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 (demo numbers, not secrets)
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def demo_vkn(seed: str) -> str:
    """A valid vergi kimlik numarası, the same for the same seed."""
    candidate = int("5" + _digits(seed, 9))
    while not vkn.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


def demo_tckn(seed: str) -> str:
    """A valid T.C. kimlik numarası, the same for the same seed."""
    first = "2" + _digits(seed, 8)
    return first + tckimlik.calc_check_digits(first)


class Timeline:
    """Moves an application's timestamps from the seconds it took to build to the weeks its story spans.

    `mark()` is called before each step; afterwards each step is placed evenly between the start and the last step's
    day, and every timestamp written during a step keeps its offset from the step's mark (so the order stays).
    """

    def __init__(self, started_days_ago: int, last_days_ago: float, *, seed: str) -> None:
        self.now = timezone.now()
        local = timezone.localtime(self.now)
        self.start = (local - timedelta(days=started_days_ago)).replace(hour=9, minute=40, second=0, microsecond=0)
        # The last step during office hours of its day (a time of its own for each application), never in the future.
        number = sum(map(ord, seed))
        last_day = timezone.localtime(self.now - timedelta(days=last_days_ago))
        end = last_day.replace(hour=10 + number % 7, minute=number * 7 % 60, second=0, microsecond=0)
        self.end = min(max(end, self.start + timedelta(minutes=30)), self.now - timedelta(minutes=30))
        self.marks: list = []
        self.points: list = []

    def mark(self) -> None:
        self.marks.append(timezone.now())

    def _points(self) -> list:
        """Each step's moment: spread evenly from start to end, in office hours, in order, never in the future."""
        steps = max(1, len(self.marks) - 1)
        points = []
        for index in range(len(self.marks)):
            at = timezone.localtime(self.start + (self.end - self.start) * index / steps)
            if not 9 <= at.hour < 18:
                at = at.replace(hour=9 + at.hour % 9)
            if points:
                at = max(at, points[-1] + timedelta(minutes=7))
            points.append(min(at, self.now - timedelta(minutes=1)))
        return points

    def simulated(self, real):
        if real is None:
            return None
        if not self.points:
            self.points = self._points()
        index = max(0, bisect.bisect_right(self.marks, real) - 1)
        return self.points[index] + (real - self.marks[index])

    def apply(self, application: Application) -> None:
        """Rewrite every timestamp the steps wrote for this application, its documents, events and e-mails."""
        from billing.models import BillingAccount, PackageOrder, PlanChange
        from documents.models import DocumentEvent, DocumentFile
        from onboarding.models import Consent
        from outbox.models import OutboxEmail
        from outbox.rendering import render_email

        tables = [
            (
                Application.objects.filter(pk=application.pk),
                ["created_at", "updated_at", "submitted_at", "cargo_recorded_at"],
            ),
            (ApplicationEvent.objects.filter(application=application), ["created_at"]),
            (Document.objects.filter(application=application), ["created_at", "decided_at", "original_received_at"]),
            (DocumentFile.objects.filter(document__application=application), ["uploaded_at"]),
            (DocumentEvent.objects.filter(document__application=application), ["created_at"]),
            (Consent.objects.filter(application=application), ["accepted_at"]),
            (Application.history.filter(id=application.pk), ["history_date"]),
            (BillingAccount.objects.filter(application=application), ["opened_at"]),
            (PackageOrder.objects.filter(account__application=application), ["created_at"]),
            (PlanChange.objects.filter(account__application=application), ["created_at"]),
        ]
        for queryset, fields in tables:
            for row in queryset.values("pk", *fields):
                queryset.model.objects.filter(pk=row["pk"]).update(
                    **{name: self.simulated(row[name]) for name in fields}
                )
        PlanChange.objects.filter(account__application=application).update(
            effective_from=timezone.localdate(self.end)
        )
        # The story's e-mails went out back then: sent, their subject kept, their links dropped (as sending does).
        for email in OutboxEmail.objects.filter(about_type="onboarding.application", about_id=application.pk):
            at = self.simulated(email.created_at)
            subject = render_email(
                to=email.to, template=email.template, context=email.context, language=email.language
            ).subject
            OutboxEmail.objects.filter(pk=email.pk).update(
                state=OutboxEmail.State.SENT,
                created_at=at,
                next_attempt_at=at,
                sent_at=at + timedelta(seconds=4),
                attempts=1,
                subject=subject[:300],
                context={},
            )


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_APPLICANT_PASSWORD)


def _demo_applicant(key: str, ayse: User) -> User:
    if key == "ayse":
        return ayse
    email, full_name = APPLICANTS[key]
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name, email_confirmed_at=timezone.now())
        # One hash for them all: each costs a second, and they share the password.
        User.objects.filter(pk=user.pk).update(password=_demo_password_hash())
        user.groups.add(Group.objects.get(name=roles.APPLICANTS))
    return user


def _details(scenario: Scenario) -> dict:
    area = AREA_CODES_EUROPE.get(scenario.district) or AREA_CODES[scenario.province]
    seed = scenario.reference
    name, title = scenario.signatory
    local_part = transliterate_tr(scenario.legal_name.split()[0]).lower()
    return {
        "legal_name": scenario.legal_name,
        "tax_number": demo_tckn(seed) if scenario.tckn else demo_vkn(seed),
        "tax_number_kind": "tckn" if scenario.tckn else "vkn",
        "tax_office": scenario.tax_office or scenario.district,
        "address": f"{scenario.address}\n{scenario.district}",
        "province": scenario.province,
        "district": scenario.district,
        "phone": f"+90{area}{_digits(seed + 'tel', 7)}",
        "email": f"bilgi@{local_part}.demo.test",
        "signatory_name": name,
        "signatory_title": title,
        "signatory_tckn": demo_tckn(seed + name),
        "signatory_mobile": f"+90532{_digits(seed + 'gsm', 7)}",
        "decision_date": (timezone.localdate() - timedelta(days=scenario.started_days_ago + 5)),
        "condition_answers": dict(scenario.conditions),
    }


def _wizard(scenario: Scenario, applicant: User) -> Application:
    """The wizard's steps before the documents, as the applicant does them (up to `stopped_before`)."""
    application = _with_reference(services.start_application(applicant), scenario.reference)
    application = workflow.choose_institution_type(
        application, institution_type=InstitutionType.objects.get(code=scenario.type_code)
    )
    application = services.save_institution_details(application, details=_details(scenario))
    invoiced = scenario.billing == "invoiced"
    application = services.choose_billing(
        application,
        billing_type=BillingType.objects.get(code=scenario.billing),
        credit_package=None if invoiced else CreditPackage.objects.get(credits=scenario.package),
        expected_monthly_messages=scenario.package // 2 if not invoiced else 20_000,
        e_invoice_user=True if invoiced else None,
    )
    if scenario.has_line:
        number = f"+90532{_digits(scenario.reference + 'line', 7)}"
        application = services.save_corporate_line(application, has_corporate_line=True, number=number)
    else:
        application = services.save_corporate_line(
            application, has_corporate_line=False, plan=Application.LinePlan.NEW_LINE
        )
    return services.save_sender_ids(application, values=scenario.sender_ids)


def _to_upload(scenario: Scenario, application: Application) -> list:
    """The checklist items the applicant sent files for: the required ones less those still missing, and extras."""
    if scenario.stopped_before == "documents":
        return []
    return [
        item
        for item in services.checklist(application)
        if (item.is_required or item.requirement.document_kind.code in scenario.extras)
        and item.requirement.document_kind.code not in scenario.missing
    ]


def _upload(items: list, files: list[demo_documents.DemoFile], application: Application, applicant: User) -> None:
    """Each generated file through the upload service, which checks it by its bytes."""
    for item, demo_file in zip(items, files, strict=True):
        uploaded = SimpleUploadedFile(demo_file.name, demo_file.content, content_type=demo_file.content_type)
        add_document_file(application, item.requirement, uploaded=uploaded, actor=applicant)


def _by_kind(application: Application) -> dict[str, Document]:
    return {
        document.requirement.document_kind.code: document
        for document in Document.objects.filter(application=application, is_live=True).select_related(
            "requirement__document_kind"
        )
    }


def _reason(text: str) -> RejectionReason:
    return RejectionReason.objects.get(text=text)


@dataclass
class _Started:
    """A scenario whose wizard steps are done, waiting for its generated files."""

    scenario: Scenario
    applicant: User
    application: Application
    timeline: Timeline
    items: list


def _start(scenario: Scenario, applicant: User) -> _Started:
    timeline = Timeline(scenario.started_days_ago, scenario.last_days_ago, seed=scenario.reference)
    timeline.mark()
    application = _wizard(scenario, applicant)
    return _Started(scenario, applicant, application, timeline, _to_upload(scenario, application))


def _finish(started: _Started, files: list[demo_documents.DemoFile], reviewer: User) -> Application:
    """Upload the files, then take the application through the services as far as its state; move it back in time."""
    scenario, applicant, application, timeline = (
        started.scenario,
        started.applicant,
        started.application,
        started.timeline,
    )
    if started.items:
        timeline.mark()
        _upload(started.items, files, application, applicant)
    if scenario.state == S.WITHDRAWN and scenario.missing:
        timeline.mark()
        services.withdraw_application(application, actor=reviewer, reason=scenario.reason)
    elif scenario.state != S.DRAFT:
        timeline.mark()
        application = services.submit_application(application, actor=applicant)
        if scenario.state == S.WITHDRAWN:
            timeline.mark()
            services.withdraw_application(application, actor=applicant, reason=scenario.reason)
        elif scenario.state != S.SUBMITTED:
            _review(scenario, application, applicant, reviewer, timeline)
    application.refresh_from_db()
    timeline.apply(application)
    return application


def build_scenarios(scenarios: list[Scenario], ayse: User, reviewer: User) -> list[Application]:
    """The lived-in applications: every wizard first, then all their files generated at once, then the rest."""
    started = [_start(scenario, _demo_applicant(scenario.owner, ayse)) for scenario in scenarios]
    files = demo_documents.files_for(
        [(one.application, [item.requirement.document_kind.code for item in one.items]) for one in started]
    )
    return [_finish(one, its_files, reviewer) for one, its_files in zip(started, files, strict=True)]


def _review(
    scenario: Scenario, application: Application, applicant: User, reviewer: User, timeline: Timeline
) -> None:
    """The reviewer's part (and the applicant's cargo), up to the scenario's state."""
    timeline.mark()
    documents = _by_kind(application)
    for kind, reason, note in scenario.rejected:
        workflow.reject_document(documents.pop(kind), actor=reviewer, reason=_reason(reason), note=note)
    if scenario.state == S.REJECTED:
        timeline.mark()
        services.reject_application(application, actor=reviewer, reason=scenario.reason)
        return
    for kind, document in documents.items():
        if scenario.state != S.IN_REVIEW or kind in scenario.approved:
            workflow.approve_document(document, actor=reviewer)
    if scenario.state == S.IN_REVIEW:
        return
    if scenario.state == S.CHANGES_REQUESTED:
        services.request_changes(application, actor=reviewer, note=scenario.reason)
        return
    services.approve_documents(application, actor=reviewer)
    if scenario.cargo:
        timeline.mark()
        services.record_cargo(application, company=scenario.cargo[0], tracking_number=scenario.cargo[1])
    if scenario.originals:
        timeline.mark()
        for kind, document in _by_kind(application).items():
            if "*" in scenario.originals or kind in scenario.originals:
                workflow.mark_original_received(document, actor=reviewer)
    if scenario.state == S.ACTIVE:
        timeline.mark()
        services.activate_application(application, actor=reviewer)


@transaction.atomic
def load_lived_in_applications(ayse: User, reviewer: User) -> list[str]:
    """Add the lived-in applications that are missing (found by their fixed reference); returns their references."""
    existing = set(
        Application.objects.filter(reference__in=[s.reference for s in SCENARIOS]).values_list("reference", flat=True)
    )
    missing = [scenario for scenario in SCENARIOS if scenario.reference not in existing]
    return [application.reference for application in build_scenarios(missing, ayse, reviewer)]
