"""The Celery application; settings come from Django's settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic schedule lives in code (one beat process); what is due lives in the database.
app.conf.beat_schedule = {
    "reviewer-digest": {"task": "onboarding.tasks.send_reviewer_digest", "schedule": 15 * 60},
}
