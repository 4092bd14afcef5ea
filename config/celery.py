"""The Celery application; settings come from Django's settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic schedule lives in code (one beat process); what is due lives in the database.
app.conf.beat_schedule = {
    # Every ten minutes, whoever is due for a reminder gets one digest of everything still open for them (applicants:
    # missing documents, rejected items, the corporate line, cargo and originals, the e-mail address; reviewers: new
    # submissions, documents past the review SLA, originals overdue). Quiet hours hold them until morning.
    "reminders": {"task": "reminders.tasks.send_reminders", "schedule": 10 * 60, "options": {"expires": 9 * 60}},
    # Every minute, whatever e-mail is still waiting in the outbox (its task lost, the broker or SMTP down) is sent.
    # (A tick not started within its interval expires: a busy or stopped worker does not pile up sweeps.)
    "outbox-sweep": {"task": "outbox.tasks.send_due_emails", "schedule": 60, "options": {"expires": 55}},
    # Hourly: credits past their expiry leave the balance (an expiry entry each), plan changes that took effect
    # today show on the account. Both find nothing to do on a second run.
    "billing-daily": {"task": "billing.tasks.daily_billing", "schedule": 60 * 60, "options": {"expires": 55 * 60}},
    # Hourly: last month's statements for invoiced accounts, from the first day of the month (Europe/Istanbul);
    # the run issues only what is missing, so every later tick of the month issues nothing.
    "billing-statements": {
        "task": "billing.tasks.issue_statements",
        "schedule": 60 * 60,
        "options": {"expires": 55 * 60},
    },
    # Daily: the stored PDFs (letters, cover sheets, contracts, statements) nobody downloaded for a month are deleted;
    # each is content-addressed and rendered again if ever asked for.
    "stored-pdfs-sweep": {
        "task": "onboarding.tasks.forget_unused_pdfs",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 23 * 60 * 60},
    },
}
