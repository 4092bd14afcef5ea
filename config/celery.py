"""The Celery application; settings come from Django's settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic schedule lives in code (one beat process); what is due lives in the database.
app.conf.beat_schedule = {
    # Every fifteen minutes, reviewers get one e-mail listing the submissions they have not yet been told about.
    "reviewer-digest": {"task": "onboarding.tasks.send_reviewer_digest", "schedule": 15 * 60},
    # Every minute, whatever e-mail is still waiting in the outbox (its task lost, the broker or SMTP down) is sent.
    "outbox-sweep": {"task": "outbox.tasks.send_due_emails", "schedule": 60},
}
