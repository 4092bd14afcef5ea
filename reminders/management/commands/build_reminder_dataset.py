"""Build a large, deterministic set of applications for measuring the reminder sweep (benchmarks/reminders.py).

Load data, not business: the rows are inserted in bulk (no services, no history rows, no e-mail), but they are the
rows the services would have left — an applicant per application (some with two), every kind and state, live
documents with file rows (no stored bytes: the due rules only count files), rejected documents with their reason and
decision time, the event that moved an application to awaiting originals, cargo recorded or not, originals received
or not, unconfirmed addresses, opted-out people, English readers, and a few reviewers.

Deterministic: the choices come from a random generator seeded with `--seed`, and every timestamp is `--now` minus a
whole number of minutes, so the same arguments on an empty database build the same rows. Run it against a scratch
database; it refuses a database that already holds applications.

    manage.py build_reminder_dataset --applications 100000 --now 2026-03-02T10:00:00+03:00 --seed 8
"""

import contextlib
import random
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from accounts import roles
from accounts.models import User
from documents.models import Document, DocumentFile, RejectionReason
from onboarding.models import REFERENCE_ALPHABET, Application, ApplicationEvent, InstitutionType, Requirement

S = Application.Status
# How many applications of each state, out of 100 (closed states included: the sweep must skip them cheaply).
STATE_WEIGHTS = {
    S.DRAFT: 30,
    S.SUBMITTED: 4,
    S.IN_REVIEW: 8,
    S.CHANGES_REQUESTED: 10,
    S.AWAITING_ORIGINALS: 12,
    S.APPROVED: 8,
    S.ACTIVE: 18,
    S.REJECTED: 5,
    S.WITHDRAWN: 5,
}
DEFAULT_NOW = "2026-03-02T10:00:00+03:00"  # a Monday morning in Istanbul, outside quiet hours
PASSWORD = "!"  # noqa: S105 — an unusable password: these accounts cannot log in


@contextlib.contextmanager
def given_timestamps(*fields):
    """Let bulk_create keep the timestamps we set on auto_now / auto_now_add fields (they are history here)."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field, _now, _add in saved:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reference(number: int) -> str:
    """A unique reference in the portal's format for the number-th application of the data set."""
    base = len(REFERENCE_ALPHABET)
    digits = ""
    for _ in range(8):
        number, rest = divmod(number, base)
        digits = REFERENCE_ALPHABET[rest] + digits
    return f"TS-{digits[:4]}-{digits[4:]}"


class Command(BaseCommand):
    help = "Build N applications in every kind and state, deterministically, for the reminder benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--now", default=DEFAULT_NOW, help="ISO time the data's ages are measured from")
        parser.add_argument("--reviewers", type=int, default=3)
        parser.add_argument("--batch", type=int, default=2_000)

    def handle(self, *args, applications, seed, now, reviewers, batch, **options):
        moment = parse_datetime(now)
        if moment is None or moment.tzinfo is None:
            raise CommandError("--now must be an ISO time with its offset, e.g. 2026-03-02T10:00:00+03:00")
        if Application.objects.exists():
            raise CommandError("This database already holds applications; build the data set in a scratch database.")
        builder = Builder(moment, random.Random(seed))  # noqa: S311 — load data, reproducible on purpose
        builder.reviewers(reviewers)
        made = 0
        while made < applications:
            size = min(batch, applications - made)
            with transaction.atomic():
                builder.batch(made, size)
            made += size
            if made % 20_000 == 0 or made == applications:
                self.stdout.write(f"built {made}/{applications} applications")
        builder.loose_users(applications // 20)


class Builder:
    def __init__(self, now: datetime, rng: random.Random):
        self.now = now
        self.rng = rng
        self.types = list(InstitutionType.objects.order_by("pk"))
        self.requirements = {
            t.pk: list(Requirement.objects.filter(institution_type=t).select_related("condition").order_by("pk"))
            for t in self.types
        }
        self.reasons = list(RejectionReason.objects.order_by("pk"))
        self.states = list(STATE_WEIGHTS)
        self.weights = list(STATE_WEIGHTS.values())
        self.applicants = Group.objects.get(name=roles.APPLICANTS)
        self.previous_user: User | None = None
        self.users = 0

    def ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(minutes=self.rng.randint(int(low_days * 1440), int(high_days * 1440)))

    def user(self, index: int) -> User:
        rng = self.rng
        self.users += 1
        joined = self.ago(30, 120)
        return User(
            email=f"basvuran-{self.users}@ornek-{index % 97}.test",
            full_name=f"Başvuran {self.users}",
            password=PASSWORD,
            date_joined=joined,
            # One in ten has not confirmed the address, one in thirty turned reminders off, one in ten reads English.
            email_confirmed_at=None if rng.random() < 0.1 else joined + timedelta(minutes=5),
            reminders_opted_out_at=self.now - timedelta(days=2) if rng.random() < 1 / 30 else None,
            language="en" if rng.random() < 0.1 else "tr",
        )

    def reviewers(self, count: int) -> None:
        group = Group.objects.get(name=roles.REVIEWERS)
        for number in range(count):
            user = User.objects.create(
                email=f"inceleme-{number + 1}@portal.test",
                full_name=f"İncelemeci {number + 1}",
                password=PASSWORD,
                is_staff=True,
                email_confirmed_at=self.now - timedelta(days=200),
                date_joined=self.now - timedelta(days=200),
            )
            user.groups.add(group)

    def loose_users(self, count: int) -> None:
        """Accounts with no application at all (some unconfirmed: the confirm-your-address reminder alone)."""
        users = User.objects.bulk_create(self.user(index) for index in range(count))
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=self.applicants.pk) for user in users
        )

    def batch(self, first: int, size: int) -> None:
        rng, now = self.rng, self.now
        # 1. People: one in ten applications belongs to the previous application's applicant (a second one).
        owners: list[User | int] = []
        new_users: list[User] = []
        for index in range(first, first + size):
            if new_users and rng.random() < 0.1:
                owners.append(len(new_users) - 1)
            else:
                new_users.append(self.user(index))
                owners.append(len(new_users) - 1)
        User.objects.bulk_create(new_users)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=self.applicants.pk) for user in new_users
        )

        # 2. Applications, each in a state drawn by weight, with the times that state implies.
        rows = []
        for offset, owner in enumerate(owners):
            status = rng.choices(self.states, self.weights)[0]
            institution_type = rng.choice(self.types)
            created = self.ago(2, 60)
            submitted = None if status == S.DRAFT else min(created + timedelta(days=rng.randint(1, 10)), now)
            if status == S.SUBMITTED:  # waiting for a reviewer: a few days at most
                submitted = self.ago(0, 5)
                created = submitted - timedelta(days=rng.randint(1, 10))
            has_line = rng.choice([True, True, False]) if status != S.DRAFT else rng.choice([None, True, False])
            rows.append(
                Application(
                    reference=reference(first + offset),
                    applicant=new_users[owner],
                    status=status,
                    institution_type=institution_type,
                    legal_name=f"Örnek Kurum {first + offset} Ltd. Şti.",
                    tax_number=f"{1_000_000_000 + first + offset}",
                    tax_number_kind="vkn",
                    province=f"{rng.randint(1, 81):02d}",
                    condition_answers={
                        requirement.condition.code: rng.random() < 0.5
                        for requirement in self.requirements[institution_type.pk]
                        if requirement.condition_id
                    },
                    has_corporate_line=has_line,
                    corporate_line_number="+905321234567" if has_line else "",
                    created_at=created,
                    updated_at=min(created + timedelta(days=rng.randint(0, 5)), now),
                    submitted_at=submitted,
                )
            )
        for application in rows:
            if application.status in (S.AWAITING_ORIGINALS, S.APPROVED) and rng.random() < 0.5:
                application.cargo_company = "Aras Kargo"
                application.cargo_tracking_number = f"{rng.randint(10**9, 10**10 - 1)}"
                application.cargo_recorded_at = min(application.submitted_at + timedelta(days=rng.randint(1, 9)), now)
        with given_timestamps(Application._meta.get_field("created_at"), Application._meta.get_field("updated_at")):
            applications = Application.objects.bulk_create(rows)

        # 3. Documents with their files, and the events a reviewed application has.
        documents, events = [], []
        for application in applications:
            documents.extend(self.documents_of(application))
            if application.status in (S.AWAITING_ORIGINALS, S.APPROVED, S.ACTIVE):
                events.append(
                    ApplicationEvent(
                        application=application,
                        from_status=S.IN_REVIEW,
                        to_status=S.AWAITING_ORIGINALS,
                        created_at=min(application.submitted_at + timedelta(days=1), now),
                    )
                )
        with given_timestamps(Document._meta.get_field("created_at")):
            documents = Document.objects.bulk_create(documents)
        with given_timestamps(ApplicationEvent._meta.get_field("created_at")):
            ApplicationEvent.objects.bulk_create(events)
        owner_of = {application.pk: application.applicant_id for application in applications}
        with given_timestamps(DocumentFile._meta.get_field("uploaded_at")):
            DocumentFile.objects.bulk_create(
                DocumentFile(
                    document=document,
                    file=f"documents/{document.application_id}/{document.pk:032x}.pdf",
                    original_name="belge.pdf",
                    content_type="application/pdf",
                    extension="pdf",
                    size=24_576,
                    sha256=f"{document.pk:064x}",
                    uploaded_by_id=owner_of[document.application_id],
                    uploaded_at=document.created_at,
                )
                for document in documents
            )

    def documents_of(self, application: Application) -> list[Document]:
        """A draft has some of its documents; a submitted application all it needs, decided as its state implies."""
        rng, now = self.rng, self.now
        answers = application.condition_answers
        needed = [r for r in self.requirements[application.institution_type_id] if r.applies(answers)]
        if application.status == S.DRAFT:
            needed = [r for r in needed if rng.random() < 0.6]
        elif application.status in (S.REJECTED, S.WITHDRAWN):
            needed = needed[:1]
        made = []
        for position, requirement in enumerate(needed):
            uploaded = min(application.created_at + timedelta(hours=position + 1), now)
            document = Document(application=application, requirement=requirement, created_at=uploaded)
            status = application.status
            if status in (S.AWAITING_ORIGINALS, S.APPROVED, S.ACTIVE) or (
                status == S.IN_REVIEW and rng.random() < 0.8
            ):
                document.status, document.decided_at = Document.Status.APPROVED, application.submitted_at
            if status == S.CHANGES_REQUESTED and (position == 0 or rng.random() < 0.2):
                document.status = Document.Status.REJECTED
                document.decided_at = min(application.submitted_at + timedelta(days=rng.randint(0, 10)), now)
                document.rejection_reason = rng.choice(self.reasons)
            if status in (S.APPROVED, S.ACTIVE) or (
                status == S.AWAITING_ORIGINALS and application.cargo_recorded_at and rng.random() < 0.3
            ):
                document.original_received_at = min((application.cargo_recorded_at or now) + timedelta(days=3), now)
            made.append(document)
        return made
