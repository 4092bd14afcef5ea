"""What is still needed, by whom and by when: the items each open application is waiting for.

Modelled on Stripe Connect's `currently_due` / `past_due`: every item is due since a moment and has a deadline. The
items are derived from the state of the rows (nothing is scheduled in a broker), the same way for the applicant's
page, the admin and the reminder sweep, and for many applications at once in a constant number of queries. What
happens at a deadline is for staff to decide; nothing here changes an application.

Durations are settings (PORTAL_DUE_DAYS, PORTAL_ORIGINALS_TRANSIT_DAYS, PORTAL_REVIEW_SLA_HOURS).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from onboarding.models import OPEN_STATUSES, REVIEWABLE_STATUSES, Application, ApplicationEvent, Requirement

# The applicant's kinds, in the order a digest lists them.
CONFIRM_EMAIL = "confirm_email"
DRAFT = "draft"
REJECTED = "rejected"
CORPORATE_LINE = "corporate_line"
CARGO = "cargo"
ORIGINALS = "originals"
APPLICANT_KINDS = [CONFIRM_EMAIL, DRAFT, REJECTED, CORPORATE_LINE, CARGO, ORIGINALS]
# The reviewers' kinds.
NEW_SUBMISSION = "new_submission"
REVIEW_WAITING = "review_waiting"
ORIGINALS_OVERDUE = "originals_overdue"
REVIEWER_KINDS = [NEW_SUBMISSION, REVIEW_WAITING, ORIGINALS_OVERDUE]

# What each kind asks for, as a heading (the e-mails and pages say more).
KIND_LABELS = {
    CONFIRM_EMAIL: _("E-posta adresinizi doğrulayın"),
    DRAFT: _("Başvurunuzu tamamlayıp gönderin"),
    REJECTED: _("Reddedilen belgeyi yeniden yükleyin"),
    CORPORATE_LINE: _("Kurumsal hat numaranızı bildirin"),
    CARGO: _("Asıl evrakı kargoya verin ve takip numarasını girin"),
    ORIGINALS: _("Asıl evrak henüz bize ulaşmadı"),
    NEW_SUBMISSION: _("Yeni başvuru"),
    REVIEW_WAITING: _("İnceleme süresini aşan belge"),
    ORIGINALS_OVERDUE: _("Asıl evrak süresi geçti"),
    # Written by billing.alerts, once per crossing of the customer's threshold.
    "low_balance": _("Kontör bakiyeniz belirlediğiniz eşiğin altına indi"),
}

S = Application.Status
# Applications that may still need something from their applicant (an approved one may still lack its line).
OPEN_FOR_APPLICANT = [S.DRAFT, *OPEN_STATUSES, S.APPROVED]


@dataclass(frozen=True)
class DueItem:
    kind: str
    # Stable for as long as the item is the same need: the reminder records are keyed on it.
    key: str
    since: datetime
    deadline: datetime
    application_id: int | None = None
    reference: str = ""
    # The application's status when the item was found (links differ before and after submission).
    status: str = ""
    # The checklist items concerned (missing, rejected or awaiting their original), for the reader's list.
    requirements: tuple = field(default=(), compare=False)
    # The rejected documents (their reasons are read in the reader's language when the message is written).
    documents: tuple = field(default=(), compare=False)

    def is_past_due(self, now: datetime) -> bool:
        return now >= self.deadline


# Originals still missing a week after they should have arrived are past due (at the earliest).
ORIGINALS_GRACE = timedelta(days=7)


def presented(item: DueItem, now: datetime) -> dict:
    """An item as the pages show it (the applicant's and the admin's), in the active language."""
    return {
        "kind": item.kind,
        "heading": KIND_LABELS[item.kind],
        "since": item.since,
        "deadline": item.deadline,
        "is_past_due": item.is_past_due(now),
        "labels": [requirement.localized("label") for requirement in item.requirements],
        "reasons": [document.rejection_text for document in item.documents],
    }


def days(kind: str) -> timedelta:
    return timedelta(days=settings.PORTAL_DUE_DAYS[kind])


def _awaiting_since(application_ids: list[int]) -> dict[int, datetime]:
    """When each application last moved to awaiting originals (its scans were approved)."""
    return dict(
        ApplicationEvent.objects.filter(application_id__in=application_ids, to_status=S.AWAITING_ORIGINALS)
        .values("application_id")
        .annotate(at=Max("created_at"))
        .values_list("application_id", "at")
    )


def _requirements_by_type(type_ids: Iterable[int]) -> dict[int, list[Requirement]]:
    from onboarding import catalogue

    return {type_id: catalogue.requirements_of(type_id) for type_id in set(type_ids)}


def applicant_items(applications: list[Application], *, now: datetime) -> dict[int, list[DueItem]]:
    """Each application's open items for its applicant; at most four queries whatever the number of applications.

    The applications must be loaded with the fields of the model (no `only()`), one per id.
    """
    from documents.models import Document

    ids = [application.pk for application in applications]
    requirements = _requirements_by_type(a.institution_type_id for a in applications if a.institution_type_id)
    # The live documents as plain rows (building a model instance for each was a third of a sweep's time); the
    # rejected ones, which an item shows, as documents with their requirement and reason.
    documents: dict[int, list] = defaultdict(list)
    for row in (
        Document.objects.filter(application_id__in=ids, is_live=True)
        .annotate(file_count=Count("files"))
        .values_list(
            "pk",
            "application_id",
            "requirement_id",
            "status",
            "decided_at",
            "original_received_at",
            "file_count",
            named=True,
        )
    ):
        documents[row.application_id].append(row)
    rejected = {
        document.pk: document
        for document in Document.objects.filter(
            application_id__in=[a.pk for a in applications if a.status == S.CHANGES_REQUESTED],
            is_live=True,
            status=Document.Status.REJECTED,
        ).select_related("requirement", "rejection_reason")
    }
    awaiting = _awaiting_since([a.pk for a in applications if a.status == S.AWAITING_ORIGINALS])

    items: dict[int, list[DueItem]] = {}
    for application in applications:
        items[application.pk] = _items_of(
            application,
            requirements.get(application.institution_type_id, []),
            documents[application.pk],
            rejected,
            awaiting.get(application.pk),
            now,
        )
    return items


def _items_of(application, requirements, documents, rejected, awaiting_since, now) -> list[DueItem]:
    """The rules, one application at a time, on rows already loaded (`rejected`: rejected documents by id)."""
    found: list[DueItem] = []
    base = {"application_id": application.pk, "reference": application.reference, "status": application.status}
    answers = application.condition_answers or {}
    live = {document.requirement_id: document for document in documents}
    applicable = [requirement for requirement in requirements if requirement.applies(answers)]

    if application.status == S.DRAFT:
        # The whole draft is one item: finish it (the missing required documents listed) and submit.
        missing = tuple(
            requirement
            for requirement in applicable
            if requirement.is_required(answers) and not (live.get(requirement.id) and live[requirement.id].file_count)
        )
        found.append(
            DueItem(
                DRAFT,
                f"{DRAFT}:{application.pk}",
                since=application.created_at,
                deadline=application.updated_at + days(DRAFT),
                requirements=missing,
                **base,
            )
        )

    if application.status == S.CHANGES_REQUESTED:
        for row in documents:
            if document := rejected.get(row.pk):
                found.append(
                    DueItem(
                        REJECTED,
                        f"{REJECTED}:{document.pk}",
                        since=document.decided_at,
                        deadline=document.decided_at + days(REJECTED),
                        requirements=(document.requirement,),
                        documents=(document,),
                        **base,
                    )
                )

    if application.has_corporate_line is False and not application.corporate_line_number:
        since = application.submitted_at or application.created_at
        found.append(
            DueItem(CORPORATE_LINE, f"{CORPORATE_LINE}:{application.pk}", since, since + days(CORPORATE_LINE), **base)
        )

    if application.status in OPEN_STATUSES:
        originals_deadline = (awaiting_since or application.submitted_at) + days(ORIGINALS)
        if application.cargo_recorded_at is None:
            found.append(
                DueItem(CARGO, f"{CARGO}:{application.pk}", application.submitted_at, originals_deadline, **base)
            )
        else:
            arrived_by = application.cargo_recorded_at + timedelta(days=settings.PORTAL_ORIGINALS_TRANSIT_DAYS)
            waiting = tuple(
                requirement
                for requirement in applicable
                if requirement.is_required(answers)
                and not (live.get(requirement.id) and live[requirement.id].original_received_at)
            )
            if waiting and now >= arrived_by:
                found.append(
                    DueItem(
                        ORIGINALS,
                        f"{ORIGINALS}:{application.pk}:{application.cargo_recorded_at:%Y%m%d%H%M%S}",
                        since=arrived_by,
                        deadline=max(originals_deadline, arrived_by + ORIGINALS_GRACE),
                        requirements=waiting,
                        **base,
                    )
                )
    return found


class _LiveRow(NamedTuple):
    pk: int
    application_id: int
    requirement_id: int
    status: str
    decided_at: datetime | None
    original_received_at: datetime | None
    file_count: int


def _items_from_checklist(application, checklist: list, events: list | None, now: datetime) -> list[DueItem]:
    """applicant_items' rules on a checklist already read (its documents come with requirement and reason)."""
    from onboarding import catalogue

    documents = [item.document for item in checklist if item.document is not None]
    rows = [
        _LiveRow(
            item.document.pk,
            application.pk,
            item.document.requirement_id,
            item.document.status,
            item.document.decided_at,
            item.document.original_received_at,
            len(item.files),
        )
        for item in checklist
        if item.document is not None
    ]
    rejected = (
        {document.pk: document for document in documents if document.status == "rejected"}
        if application.status == S.CHANGES_REQUESTED
        else {}
    )
    awaiting_since = None
    if application.status == S.AWAITING_ORIGINALS:
        if events is None:
            awaiting_since = _awaiting_since([application.pk]).get(application.pk)
        else:
            moves = [event.created_at for event in events if event.to_status == S.AWAITING_ORIGINALS]
            awaiting_since = max(moves) if moves else None
    requirements = catalogue.requirements_of(application.institution_type_id)
    return _items_of(application, requirements, rows, rejected, awaiting_since, now)


def confirm_email_item(user, *, now: datetime) -> DueItem | None:
    """The address is not confirmed yet (nothing can be submitted until it is)."""
    if user.email_confirmed_at is not None or not user.is_active:
        return None
    return DueItem(
        CONFIRM_EMAIL, f"{CONFIRM_EMAIL}:{user.pk}", user.date_joined, user.date_joined + days(CONFIRM_EMAIL)
    )


def items_for_application(
    application: Application, *, now: datetime, checklist: list | None = None, events: list | None = None
) -> list[DueItem]:
    """One application's open items, with its applicant's unconfirmed address first (the applicant's page).

    A page that already holds the application's checklist (onboarding.services.checklist) and, after submission,
    its events passes them, and the items come from those rows: no query of its own.
    """
    if application.status not in OPEN_FOR_APPLICANT:
        items = []
    elif checklist is None:
        items = applicant_items([application], now=now)[application.pk]
    else:
        items = _items_from_checklist(application, checklist, events, now)
    confirm = confirm_email_item(application.applicant, now=now)
    return ([confirm] if confirm else []) + items


def reviewer_items(*, now: datetime) -> list[DueItem]:
    """What reviewers should hear about: new submissions, documents waiting past the SLA, originals overdue.

    Three queries, each over an index of open applications; the lists are as long as the back office's backlog.
    """
    from documents.models import Document

    found: list[DueItem] = []
    for application in Application.objects.filter(status=S.SUBMITTED).only("pk", "reference", "submitted_at"):
        # A resubmission is new again: the submission time is part of the key.
        key = f"{NEW_SUBMISSION}:{application.pk}:{application.submitted_at:%Y%m%d%H%M%S}"
        found.append(
            DueItem(
                NEW_SUBMISSION,
                key,
                application.submitted_at,
                application.submitted_at + timedelta(hours=settings.PORTAL_REVIEW_SLA_HOURS),
                application_id=application.pk,
                reference=application.reference,
            )
        )

    sla = timedelta(hours=settings.PORTAL_REVIEW_SLA_HOURS)
    waiting = (
        Document.objects.filter(
            is_live=True,
            status=Document.Status.UPLOADED,
            application__status__in=REVIEWABLE_STATUSES,
        )
        .filter(Q(application__submitted_at__lte=now - sla))
        .select_related("application", "requirement")
        .order_by("application__submitted_at", "pk")
    )
    for document in waiting:
        since = max(document.application.submitted_at, document.created_at) + sla
        if since > now:
            continue
        found.append(
            DueItem(
                REVIEW_WAITING,
                f"{REVIEW_WAITING}:{document.pk}",
                since,
                since,
                application_id=document.application_id,
                reference=document.application.reference,
                requirements=(document.requirement,),
            )
        )

    awaiting = list(Application.objects.filter(status=S.AWAITING_ORIGINALS).only("pk", "reference", "submitted_at"))
    approved_at = _awaiting_since([a.pk for a in awaiting])
    for application in awaiting:
        deadline = approved_at.get(application.pk, application.submitted_at) + days(ORIGINALS)
        if now >= deadline:
            found.append(
                DueItem(
                    ORIGINALS_OVERDUE,
                    f"{ORIGINALS_OVERDUE}:{application.pk}",
                    deadline,
                    deadline,
                    application_id=application.pk,
                    reference=application.reference,
                )
            )
    return found


# --- Past due, as a query -------------------------------------------------------------------------------------------


def past_due_q(now: datetime) -> Q:
    """Applications with at least one past-due item, as a filter: the same deadlines as `items_for_application`.

    For the staff's queue over every application (no rows are loaded): each rule of `_items_of` (and the applicant's
    unconfirmed address) is a condition on the application's columns or an EXISTS over its documents, events and
    checklist. One query reads the condition codes of the catalogue (a handful of rows) to spell the conditional
    requirements. onboarding/tests/test_due.py holds the two to agreeing, case by case.
    """
    from documents.models import Document
    from onboarding.models import Condition

    live_rejected_long_ago = Document.objects.filter(
        application=OuterRef("pk"),
        is_live=True,
        status=Document.Status.REJECTED,
        decided_at__lte=now - days(REJECTED),
    )
    # When the originals were due: the last approval of the scans, else the submission (as in `_items_of`).
    originals_cut = now - days(ORIGINALS)
    approvals = ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=S.AWAITING_ORIGINALS)
    originals_clock_ran_out = Q(
        status__in=[S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED], submitted_at__lte=originals_cut
    ) | (
        Q(status=S.AWAITING_ORIGINALS)
        & ~Exists(approvals.filter(created_at__gt=originals_cut))
        & (Exists(approvals) | Q(submitted_at__lte=originals_cut))
    )
    # A required checklist line (conditional ones when the applicant answered yes) without its original.
    original_received = Document.objects.filter(
        application=OuterRef(OuterRef("pk")),
        requirement=OuterRef("pk"),
        is_live=True,
        original_received_at__isnull=False,
    )
    waiting = Requirement.objects.filter(institution_type=OuterRef("institution_type")).exclude(
        Exists(original_received)
    )
    original_missing = Exists(waiting.filter(status=Requirement.Status.REQUIRED))
    for code in Condition.objects.values_list("code", flat=True):
        # has_key first: a missing key reads NULL, and NULL AND TRUE would make the negated filter drop the row.
        answered_yes = Q(condition_answers__has_key=code) & Q(**{f"condition_answers__{code}": True})
        original_missing |= answered_yes & Exists(
            waiting.filter(status=Requirement.Status.CONDITIONAL, condition__code=code)
        )
    line_cut = now - days(CORPORATE_LINE)

    return (
        Q(status=S.DRAFT, updated_at__lte=now - days(DRAFT))
        | (Q(status=S.CHANGES_REQUESTED) & Exists(live_rejected_long_ago))
        | (
            Q(status__in=OPEN_FOR_APPLICANT, has_corporate_line=False, corporate_line_number="")
            & (Q(submitted_at__lte=line_cut) | Q(submitted_at__isnull=True, created_at__lte=line_cut))
        )
        | (Q(status__in=OPEN_STATUSES, cargo_recorded_at__isnull=True) & originals_clock_ran_out)
        | (
            Q(
                status__in=OPEN_STATUSES,
                cargo_recorded_at__lte=now - timedelta(days=settings.PORTAL_ORIGINALS_TRANSIT_DAYS) - ORIGINALS_GRACE,
            )
            & originals_clock_ran_out
            & original_missing
        )
        # The applicant's address, unconfirmed past its deadline, shows on every page of theirs (as there).
        | Q(
            applicant__email_confirmed_at__isnull=True,
            applicant__is_active=True,
            applicant__date_joined__lte=now - days(CONFIRM_EMAIL),
        )
    )
