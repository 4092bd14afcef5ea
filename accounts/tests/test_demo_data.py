"""`load_demo_data`: the logins, the reminder scenarios, the lived-in applications and the billing demo.

Loading takes seconds, so the module loads it once (twice, to check the second run adds nothing) inside a
transaction that is rolled back after the last test; each test runs in a savepoint of its own.
"""

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from localflavor.tr.tr_provinces import PROVINCE_CHOICES
from pypdf import PdfReader

from accounts.models import User
from billing.models import BillingAccount, PackageOrder
from documents.filecheck import check_upload
from documents.models import Document, DocumentFile
from onboarding import demo, demo_documents, due, identifiers
from onboarding.models import REFERENCE_ALPHABET, Application, ApplicationEvent, InstitutionType
from outbox.models import OutboxEmail
from reminders.models import Reminder
from reminders.services import ISTANBUL, send_reminders

OPEN = [Application.Status.SUBMITTED, Application.Status.IN_REVIEW, Application.Status.CHANGES_REQUESTED]
QUEUE = [*OPEN, Application.Status.AWAITING_ORIGINALS]
COUNTED = [Application, ApplicationEvent, Document, DocumentFile, User, OutboxEmail, BillingAccount, PackageOrder]


@dataclass
class Loaded:
    first_output: str
    second_output: str
    counts_after_first: dict
    counts_after_second: dict


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        first = _load()
        after_first = _counts()
        second = _load()
        yield Loaded(first, second, after_first, _counts())
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(loaded, db):
    return loaded


def test_the_second_run_adds_nothing_and_resets_the_logins(demo_db):
    assert demo_db.counts_after_second == demo_db.counts_after_first
    assert "every type and state: 24" in demo_db.first_output
    assert "every type and state" not in demo_db.second_output
    for email in ("basvuru@demo.local", "inceleme@demo.local", "muhasebe@demo.local", "elif.kaya@demo.local"):
        assert email in demo_db.second_output
    reviewer = User.objects.get(email="inceleme@demo.local")
    assert reviewer.is_staff and reviewer.groups.filter(name="Reviewers").exists()
    assert reviewer.check_password("Inceleme-Demo-2026")
    hasan = User.objects.get(email="hasan.demir@demo.local")
    assert hasan.check_password(demo.DEMO_APPLICANT_PASSWORD) and hasan.groups.filter(name="Applicants").exists()
    assert hasan.email_confirmed_at is not None


@override_settings(DEBUG=False)
def test_demo_data_refuses_to_run_outside_debug(db):
    before = _counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert _counts() == before


def test_every_institution_type_is_there_and_every_state(demo_db):
    lived_in = Application.objects.filter(reference__in=[s.reference for s in demo.SCENARIOS])
    assert set(lived_in.values_list("institution_type__code", flat=True)) == set(
        InstitutionType.objects.values_list("code", flat=True)
    )
    assert len(InstitutionType.objects.all()) == 9
    assert set(lived_in.values_list("status", flat=True)) == set(Application.Status.values)
    # Each lived-in application is where its scenario says, under its fixed reference.
    assert dict(lived_in.values_list("reference", "status")) == {s.reference: s.state for s in demo.SCENARIOS}
    pattern = re.compile(rf"TS-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}")
    fixed = [*(s.reference for s in demo.SCENARIOS), *demo.REFERENCES.values()]
    assert all(pattern.fullmatch(reference) for reference in fixed)
    assert set(demo.REFERENCES.values()) <= set(Application.objects.values_list("reference", flat=True))


def test_each_state_shows_what_it_is_about(demo_db):
    lived_in = Application.objects.filter(reference__startswith="TS-DEMB-")
    drafts = lived_in.filter(status=Application.Status.DRAFT)
    assert all(demo.services.missing_for_submission(draft) for draft in drafts)
    changes = lived_in.filter(status=Application.Status.CHANGES_REQUESTED)
    for application in changes:
        rejected = Document.objects.filter(application=application, status=Document.Status.REJECTED)
        assert rejected and all(document.rejection_reason_id for document in rejected)
        assert application.events.filter(to_status=Application.Status.CHANGES_REQUESTED).exclude(reason="")
    awaiting = lived_in.filter(status=Application.Status.AWAITING_ORIGINALS).exclude(cargo_tracking_number="")
    assert awaiting.count() >= 2
    for application in lived_in.filter(status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN]):
        assert application.events.last().reason
    active = lived_in.filter(status=Application.Status.ACTIVE)
    assert BillingAccount.objects.filter(application__in=active).count() == active.count() == 2
    # The prepaid one waits for its first package to be paid: something for finance to confirm.
    assert PackageOrder.objects.filter(account__application__in=active, status=PackageOrder.Status.PENDING).exists()


def test_the_numbers_and_addresses_are_valid(demo_db):
    provinces = dict(PROVINCE_CHOICES)
    for application in Application.objects.filter(reference__startswith="TS-DEMB-").exclude(tax_number=""):
        if application.tax_number_kind == "tckn":
            assert application.institution_type.code == "sole_proprietorship"
            identifiers.validate_tckn(application.tax_number)
        else:
            identifiers.validate_vkn(application.tax_number)
        identifiers.validate_tckn(application.signatory_tckn)
        assert identifiers.normalize_phone(application.phone) == application.phone
        assert identifiers.normalize_mobile(application.signatory_mobile) == application.signatory_mobile
        assert application.province in provinces and application.district in application.address
        for sender_id in application.sender_ids.values_list("value", flat=True):
            identifiers.validate_sender_id(sender_id)


def test_the_documents_are_generated_files_that_pass_the_byte_checks(demo_db):
    files = DocumentFile.objects.filter(document__application__reference__startswith="TS-DEMB-").select_related(
        "document__application", "document__requirement__document_kind"
    )
    kinds = set()
    for record in files:
        content = record.file.read()
        record.file.close()
        assert len(content) == record.size < 100_000  # small
        uploaded = SimpleUploadedFile(record.original_name, content, content_type=record.content_type)
        checked = check_upload(
            uploaded, max_bytes=settings.PORTAL_UPLOAD_MAX_BYTES, max_pixels=settings.PORTAL_UPLOAD_MAX_PIXELS
        )
        assert checked.content_type == record.content_type
        kind = record.document.requirement.document_kind.code
        kinds.add((kind, record.content_type))
        application = record.document.application
        if record.content_type == "application/pdf":
            text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
            # The certificate of election names the neighbourhood, not the office.
            name = application.legal_name.removesuffix(" Muhtarlığı")
            assert name in text, (kind, text[:200])
            if kind == "tax_plate":
                assert "VERGİ LEVHASI" in text and application.tax_number in text
            if kind == "sms_letter":
                assert application.signatory_name in text and settings.PORTAL_OPERATOR_NAME in text
    assert ("id_copy", "image/jpeg") in kinds and ("decision_book_first_page", "image/png") in kinds
    assert {"tax_plate", "signature_declaration", "sms_letter", "sms_decision", "council_decision"} <= {
        kind for kind, _type in kinds
    }


def test_the_applicant_the_reviewer_and_finance_each_see_a_working_portal(demo_db, client):
    now = timezone.now()
    queue = Application.objects.filter(status__in=QUEUE)
    assert queue.count() >= 12
    assert set(queue.values_list("status", flat=True)) == set(QUEUE)
    # The queue's ages look real: submissions spread over weeks, none in the future, events in order.
    submitted = sorted(queue.values_list("submitted_at", flat=True))
    assert now - submitted[0] > timedelta(days=14) and now - submitted[-1] < timedelta(days=3)
    for application in Application.objects.filter(reference__startswith="TS-DEMB-"):
        times = list(application.events.values_list("created_at", flat=True))
        assert times == sorted(times) and all(application.created_at <= t <= now for t in times)

    client.force_login(User.objects.get(email="inceleme@demo.local"))
    page = client.get(reverse("admin:onboarding_application_changelist"))
    assert page.status_code == 200 and "TS-DEMB-KRTP" in page.text

    client.force_login(User.objects.get(email="basvuru@demo.local"))
    page = client.get(reverse("onboarding:application-start"))
    assert page.status_code == 200
    own = Application.objects.filter(applicant__email="basvuru@demo.local")
    assert len(set(own.values_list("status", flat=True))) >= 5
    assert all(reference in page.text for reference in own.values_list("reference", flat=True))
    status = client.get(reverse("onboarding:application-status", args=["TS-DEMB-YMMR"]))
    assert status.status_code == 200
    # Another applicant's application stays out of reach.
    assert client.get(reverse("onboarding:application-status", args=["TS-DEMB-KRTP"])).status_code == 404

    client.force_login(User.objects.get(email="muhasebe@demo.local"))
    assert client.get(reverse("finance:dashboard")).status_code == 200


def test_the_demo_data_is_due_for_every_kind_of_reminder(demo_db):
    # A daytime sweep (the demo's timestamps are days old; noon today is at most half a day away from now).
    noon = timezone.now().astimezone(ISTANBUL).replace(hour=12, minute=0, second=0, microsecond=0)

    first = send_reminders(now=noon)
    again = send_reminders(now=noon)

    reviewer = User.objects.get(email="inceleme@demo.local")
    recorded = Reminder.objects.values_list("recipient", "kind")
    assert {kind for person, kind in recorded if person != reviewer.pk} == set(due.APPLICANT_KINDS)
    assert {kind for person, kind in recorded if person == reviewer.pk} == set(due.REVIEWER_KINDS)
    # One digest per person with something due, each once.
    assert first.emails == len({person for person, _kind in recorded}) and first.reminders == len(recorded)
    assert (again.emails, again.reminders) == (0, 0)


def test_the_generated_files_are_the_same_every_time(demo_db):
    applications = list(Application.objects.filter(reference__in=["TS-DEMB-SKRH", "TS-DEMB-CMHR"]).order_by("pk"))
    wanted = [(application, ["tax_plate", "id_copy", "decision_book_first_page"]) for application in applications]

    first, again = demo_documents.files_for(wanted), demo_documents.files_for(wanted)

    for files, files_again in zip(first, again, strict=True):
        assert [f.content for f in files[1:]] == [f.content for f in files_again[1:]]  # the same pixels
        texts = [PdfReader(io.BytesIO(f.content)).pages[0].extract_text() for f in (files[0], files_again[0])]
        assert texts[0] == texts[1] and "VERGİ LEVHASI" in texts[0]
