"""The reminder sweep: who is due for which reminder now, recorded once, one digest e-mail per person.

1. **What is due** comes from `onboarding.due`, derived from the rows, for a chunk of people at a time (a chunk of
   applicants with their open applications; unconfirmed accounts; the reviewers).
2. **Which step.** An applicant's item is reminded 1, 3, 7 and 14 days after it became due
   (PORTAL_REMINDER_CADENCE_DAYS) and then no more; a missed step is not made up (the latest step passed is the one
   sent). Reviewers hear of a new submission once and of an overdue item every day while it lasts.
3. **Recorded once.** Every (person, item, step) not yet recorded is inserted, and the person's digest is queued in
   the outbox, in one transaction per chunk. The unique key makes a second sweep, a redelivered task or two sweeps at
   once send nothing more: the loser of a race gets an IntegrityError, rolls back and looks again.
4. **One e-mail per person per sweep** lists everything open for them, each item with what to do, its deadline and a
   link straight to the place to do it. Nothing goes out in quiet hours (21:00–08:00 Istanbul), nothing to a person
   who opted out; every reminder carries a signed link (and List-Unsubscribe headers) to stop them.

Billing's reminders (a low prepaid balance, credits about to expire) join the same way: a function that returns
each person's `DueItem`s of new kinds (keys naming the account and, say, the expiry date), called from
`send_reminders` beside `_remind_applicants`, feeding `_record_and_queue`; the digest template then gains the kinds'
wording. Recording, cadence, quiet hours and opt-out need no change.
"""

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import REVIEWERS
from onboarding import due, wizard
from onboarding.models import OPEN_STATUSES, Application
from outbox.services import queue_emails
from reminders.models import Reminder

logger = logging.getLogger(__name__)

ISTANBUL = ZoneInfo("Europe/Istanbul")
UNSUBSCRIBE_SALT = "reminders.unsubscribe"


@dataclass
class SweepResult:
    reminders: int = 0
    emails: int = 0
    quiet: bool = False
    email_ids: list[int] = field(default_factory=list)


# --- Rules -------------------------------------------------------------------------------------------------------


def in_quiet_hours(now: datetime) -> bool:
    """Istanbul's night (Turkey keeps UTC+3 all year): reminders wait for the morning."""
    start, end = settings.PORTAL_REMINDER_QUIET_HOURS
    hour = now.astimezone(ISTANBUL).hour
    return (hour >= start or hour < end) if start > end else start <= hour < end


def applicant_step(since: datetime, now: datetime) -> int:
    """Which reminder of an item is due now: 0 before the first, then 1, 2 … up to the length of the cadence."""
    return sum(1 for offset in settings.PORTAL_REMINDER_CADENCE_DAYS if now >= since + timedelta(days=offset))


def reviewer_step(item: due.DueItem, now: datetime) -> int:
    """Reviewers' items are reminded once each: a new submission, and each day's digest of what is overdue."""
    return 1 if now >= item.since else 0


# A reviewers' digest lists at most this many items of each kind (the oldest), with the total and the queue's link:
# a backlog of thousands must not make an e-mail of megabytes.
REVIEWER_DIGEST_LIMIT = 50


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User | None:
    """The person a stop link names, or None for a link that was not made by us. Links do not expire."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=payload.get("u") if isinstance(payload, dict) else None).first()


def unsubscribe_url(user: User) -> str:
    return _url("reminders:stop", unsubscribe_token(user))


# reverse() costs about 0.1 ms, and a sweep builds a few links per person and item (hundreds of thousands at 100,000
# applications): each route is reversed once with stand-in arguments, and the real ones are put in their place.
# Only for arguments that need no quoting in a path: ids, references, slugs, signed tokens.
_STAND_INS = {int: 9_876_543_210, str: "TS-ZZZZ-ZZZZ"}


@functools.cache
def _route(name: str, kinds: tuple[type, ...], language: str | None) -> str:
    return reverse(name, args=[_STAND_INS[kind] for kind in kinds])


def _url(name: str, *args: int | str) -> str:
    path = _route(name, tuple(type(arg) for arg in args), translation.get_language())
    for arg in args:
        path = path.replace(str(_STAND_INS[type(arg)]), str(arg), 1)
    return settings.SITE_URL + path


@transaction.atomic
def set_reminders(user: User, *, enabled: bool) -> User:
    """Turn a person's reminders on or off (idempotent: the first time they were turned off is kept)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if enabled:
        if locked.reminders_opted_out_at is not None:
            # What came due while they were opted out was not recorded: the next sweep looks at their applications.
            Application.objects.filter(applicant=locked).update(reminders_due_at=None)
        locked.reminders_opted_out_at = None
    elif locked.reminders_opted_out_at is None:
        locked.reminders_opted_out_at = timezone.now()
    locked.save(update_fields=["reminders_opted_out_at"])
    return locked


@transaction.atomic
def save_preferences(user: User, *, reminders: bool, language: str) -> User:
    """The notifications page: reminders on or off, and the language of every e-mail to this person."""
    locked = set_reminders(user, enabled=reminders)
    locked.language = language
    locked.save(update_fields=["language"])
    return locked


def recent_reminders_of(user: User) -> list[Reminder]:
    return list(Reminder.objects.filter(recipient=user).select_related("application").order_by("-created_at")[:10])


# --- The sweep ---------------------------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None, chunk_size: int = 500) -> SweepResult:
    """Record and queue every reminder due now; safe to run at any time, any number of times, concurrently."""
    now = now or timezone.now()
    result = SweepResult()
    if in_quiet_hours(now):
        result.quiet = True
        return result
    _remind_applicants(now, chunk_size, result)
    _remind_unconfirmed(now, chunk_size, result)
    _remind_reviewers(now, result)
    return result


def _remind_applicants(now: datetime, chunk_size: int, result: SweepResult) -> None:
    """Applicants with open applications, a chunk of people at a time: all of a person's items in one chunk.

    Only people with an application to look at are taken: one never looked at, one changed since it was looked at
    (its `updated_at` moved), or one whose stored due time has come (`_store_due_times`). Then all their open
    applications are read, for the digest, and get their next due time.
    """
    open_applications = Application.objects.filter(status__in=due.OPEN_FOR_APPLICANT)
    to_look_at = open_applications.filter(
        Q(reminders_due_at__isnull=True) | Q(reminders_due_at__lte=now) | ~Q(updated_at=F("reminders_seen_at"))
    )
    last = 0
    while True:
        applicant_ids = list(
            to_look_at.filter(applicant_id__gt=last)
            .order_by("applicant_id")
            .values_list("applicant_id", flat=True)
            .distinct()[:chunk_size]
        )
        if not applicant_ids:
            return
        last = applicant_ids[-1]
        people = {user.pk: user for user in User.objects.filter(pk__in=applicant_ids, is_active=True)}
        applications = list(open_applications.filter(applicant_id__in=people).order_by("pk"))
        items = due.applicant_items(applications, now=now)
        per_person: dict[int, list[due.DueItem]] = defaultdict(list)
        for user in people.values():
            if confirm := due.confirm_email_item(user, now=now):
                per_person[user.pk].append(confirm)
        for application in applications:
            per_person[application.applicant_id].extend(items[application.pk])
        if _record_and_queue(people, per_person, now, result):
            _store_due_times(applications, items, people, now)


# What "no reminder will ever become due" is stored as (an empty due time means "look at it").
NEVER = datetime(3000, 1, 1, tzinfo=UTC)


def next_step_at(since: datetime, now: datetime) -> datetime | None:
    """When an item due since `since` reaches its next step of the cadence after `now` (None: it has had them all)."""
    steps = (since + timedelta(days=offset) for offset in settings.PORTAL_REMINDER_CADENCE_DAYS)
    return min((moment for moment in steps if moment > now), default=None)


def _due_at(application: Application, items: list[due.DueItem], confirm: due.DueItem | None, now: datetime):
    """The earliest moment after `now` at which a reminder about this application (or its applicant's unconfirmed
    address) can become due while its rows stay as they are: an item's next step, or the originals' item appearing
    when they should have arrived. Items only come and go with a change of the application (its `updated_at`)."""
    moments = [moment for item in items if (moment := next_step_at(item.since, now))]
    if confirm and (moment := next_step_at(confirm.since, now)):
        moments.append(moment)
    if application.status in OPEN_STATUSES and application.cargo_recorded_at is not None:
        arrived_by = application.cargo_recorded_at + timedelta(days=settings.PORTAL_ORIGINALS_TRANSIT_DAYS)
        if arrived_by > now:
            moments.append(arrived_by)
    return min(moments, default=NEVER)


def _store_due_times(
    applications: list[Application], items: dict[int, list[due.DueItem]], people: dict[int, User], now: datetime
) -> None:
    """One UPDATE for the chunk. The `updated_at` read is stored with it: a change since the read (or after) makes
    the next sweep look again, whatever the due time says.

    On PostgreSQL from arrays: bulk_update's CASE over the chunk took a third of a first sweep at 100,000."""
    confirm = {pk: due.confirm_email_item(user, now=now) for pk, user in people.items()}
    for application in applications:
        application.reminders_due_at = _due_at(
            application, items[application.pk], confirm[application.applicant_id], now
        )
        application.reminders_seen_at = application.updated_at
    if connection.vendor != "postgresql":
        Application.objects.bulk_update(applications, ["reminders_due_at", "reminders_seen_at"], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE onboarding_application AS a SET reminders_due_at = v.due, reminders_seen_at = v.seen "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS v(id, due, seen) WHERE a.id = v.id",
            [
                [application.pk for application in applications],
                [application.reminders_due_at for application in applications],
                [application.reminders_seen_at for application in applications],
            ],
        )


def _remind_unconfirmed(now: datetime, chunk_size: int, result: SweepResult) -> None:
    """Accounts whose address is not confirmed and that have no open application (those were reminded above)."""
    last = 0
    while True:
        people = {
            user.pk: user
            for user in User.objects.filter(
                pk__gt=last, email_confirmed_at__isnull=True, is_active=True, is_staff=False
            )
            .exclude(applications__status__in=due.OPEN_FOR_APPLICANT)
            .order_by("pk")[:chunk_size]
        }
        if not people:
            return
        last = max(people)
        per_person = {pk: [due.confirm_email_item(user, now=now)] for pk, user in people.items()}
        _record_and_queue(people, per_person, now, result)


def _remind_reviewers(now: datetime, result: SweepResult) -> None:
    """New submissions at once; what is overdue (documents past the SLA, originals) once a day, as one record per
    reviewer and kind and day rather than one per document, so a large backlog does not multiply the records."""
    items = due.reviewer_items(now=now)
    if not items:
        return
    today = now.astimezone(ISTANBUL).date().isoformat()
    triggers = [item for item in items if item.kind == due.NEW_SUBMISSION] + [
        due.DueItem(kind, f"{kind}:{today}", since=now, deadline=now)
        for kind in (due.REVIEW_WAITING, due.ORIGINALS_OVERDUE)
        if any(item.kind == kind for item in items)
    ]
    reviewers = {
        user.pk: user
        for user in User.objects.filter(groups__name=REVIEWERS, is_active=True, is_staff=True).distinct()
    }
    _record_and_queue(
        reviewers,
        dict.fromkeys(reviewers, triggers),
        now,
        result,
        reviewer=True,
        listing=dict.fromkeys(reviewers, items),
    )


def _record_and_queue(
    people: dict[int, User],
    per_person: dict[int, list[due.DueItem]],
    now: datetime,
    result: SweepResult,
    *,
    reviewer: bool = False,
    listing: dict[int, list[due.DueItem]] | None = None,
) -> bool:
    """Steps 3 and 4 of the module's docstring for one chunk of people: a constant number of queries.

    `per_person` holds what is recorded and triggers a digest; `listing` what the digest lists (by default the same).
    False when the chunk was given up after two races (the next sweep must look at it again).
    """
    listing = listing or per_person
    step_of = (lambda item: reviewer_step(item, now)) if reviewer else (lambda item: applicant_step(item.since, now))
    wanted = {
        pk: [(item, step) for item in items if (step := step_of(item))]
        for pk, items in per_person.items()
        if people[pk].reminders_opted_out_at is None
    }
    wanted = {pk: pairs for pk, pairs in wanted.items() if pairs}
    if not wanted:
        return True
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                recorded = set(
                    Reminder.objects.filter(
                        recipient_id__in=wanted,
                        item_key__in={item.key for pairs in wanted.values() for item, _ in pairs},
                    ).values_list("recipient_id", "item_key", "step")
                )
                new = {
                    pk: [(item, step) for item, step in pairs if (pk, item.key, step) not in recorded]
                    for pk, pairs in wanted.items()
                }
                new = {pk: pairs for pk, pairs in new.items() if pairs}
                if not new:
                    return True
                # Reviewers share one list of items: it is described once per language, not once per reviewer.
                described: dict[tuple[int, str], list[dict]] = {}
                emails = queue_emails(
                    [_digest(people[pk], listing[pk], now, reviewer=reviewer, described=described) for pk in new]
                )
                Reminder.objects.bulk_create(
                    Reminder(
                        recipient_id=pk,
                        item_key=item.key,
                        kind=item.kind,
                        step=step,
                        application_id=item.application_id,
                        email=email,
                    )
                    for (pk, pairs), email in zip(new.items(), emails, strict=True)
                    for item, step in pairs
                )
            result.emails += len(new)
            result.email_ids.extend(email.pk for email in emails)
            result.reminders += sum(len(pairs) for pairs in new.values())
            return True
        except IntegrityError:
            # Another sweep recorded some of these between our look and our insert; look again.
            logger.info("reminders: a concurrent sweep won a race (attempt %s); looking again", attempt)
    logger.warning("reminders: gave up on a chunk after two races; the next sweep takes it")
    return False


# --- The digest --------------------------------------------------------------------------------------------------


def _date(moment: datetime) -> str:
    return moment.astimezone(ISTANBUL).strftime("%d.%m.%Y")


def _link(item: due.DueItem, *, reviewer: bool) -> str:
    if reviewer:
        return _url("admin:onboarding_application_change", item.application_id)
    if item.kind == due.CONFIRM_EMAIL:
        return _url("accounts:resend-confirmation")
    if item.kind == due.DRAFT:
        return _url("onboarding:application-step", item.reference, wizard.slug("documents"))
    if item.kind == due.CORPORATE_LINE and item.status == Application.Status.DRAFT:
        # Before submission the line is given in the wizard (the status page sends drafts there, without the anchor).
        return _url("onboarding:application-step", item.reference, wizard.slug("line"))
    anchor = {
        due.REJECTED: f"#belge-{item.requirements[0].pk}" if item.requirements else "",
        due.CORPORATE_LINE: "#kurumsal-hat",
        due.CARGO: "#kargo",
        due.ORIGINALS: "#asil-evrak",
    }.get(item.kind, "")
    return _url("onboarding:application-status", item.reference) + anchor


def describe(item: due.DueItem, now: datetime, *, reviewer: bool = False) -> dict:
    """An item as the templates print it, in the active language: JSON only (it is stored in the outbox)."""
    return {
        "kind": item.kind,
        "reference": item.reference,
        "since": _date(item.since),
        "deadline": _date(item.deadline),
        "past_due": item.is_past_due(now),
        "labels": [requirement.localized("label") for requirement in item.requirements],
        "reasons": [document.rejection_text for document in item.documents],
        "url": _link(item, reviewer=reviewer),
    }


def _digest(user: User, items: list[due.DueItem], now: datetime, *, reviewer: bool, described: dict) -> dict:
    """One person's e-mail: every open item, in their language, with the link that stops reminders.

    `described` keeps the items already described, by list and language (queue_emails copies each context).
    """
    stop = unsubscribe_url(user)
    key = (id(items), user.language)
    if key not in described:
        with translation.override(user.language):
            described[key] = _described(items, now, reviewer=reviewer)
    listed, groups, past_due_count = described[key]
    return {
        "to": [user.email],
        "template": "reviewer_reminder" if reviewer else "applicant_reminder",
        "language": user.language,
        "about": user,
        "context": {
            "full_name": user.get_full_name(),
            "items": listed,
            "groups": groups,
            "total_count": sum(group["total"] for group in groups),
            "past_due_count": past_due_count,
            "queue_url": _url("admin:onboarding_application_changelist") if reviewer else "",
            "unsubscribe_url": stop,
            "preferences_url": _url("reminders:preferences"),
            "cargo_address": settings.PORTAL_CARGO_ADDRESS,
        },
        # RFC 8058: mail programs offer "unsubscribe" and POST to the link, which stops reminders at once.
        "headers": {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    }


def _described(items: list[due.DueItem], now: datetime, *, reviewer: bool) -> tuple[list, list, int]:
    """The items as printed, grouped by kind in the order of the kinds; a reviewers' group is cut at the limit."""
    kinds = due.REVIEWER_KINDS if reviewer else due.APPLICANT_KINDS
    limit = REVIEWER_DIGEST_LIMIT if reviewer else None
    listed, groups = [], []
    for kind in [*kinds, *sorted({item.kind for item in items} - set(kinds))]:
        of_kind = sorted((item for item in items if item.kind == kind), key=lambda item: item.since)
        if not of_kind:
            continue
        shown = [describe(item, now, reviewer=reviewer) for item in of_kind[:limit]]
        listed.extend(shown)
        groups.append({"kind": kind, "total": len(of_kind), "items": shown, "more": len(of_kind) - len(shown)})
    return listed, groups, sum(1 for item in items if item.is_past_due(now))


def last_reminded_at(application: Application):
    """When we last reminded the applicant about this application, or None (the applicant's page: "we reminded you
    on …")."""
    return (
        Reminder.objects.filter(application=application).order_by("-created_at").values_list("created_at", flat=True)
    ).first()
