"""The embedded mode's stand-in for Celery beat: runs config/celery.py's schedule in this process, for ever.

Production runs workers and exactly one `celery -A config beat` on Redis. `make run` has no broker, so this command
reads the same `app.conf.beat_schedule` and calls each entry's task locally at its interval:

1. every entry runs once at start (a newcomer sees reminders and digests within a minute), then on its schedule;
2. a task that raises is logged with its traceback and the others go on; it runs again at its next turn;
3. outside the embedded mode (a database or a broker configured) it refuses unless forced: next to a real beat it
   would be a second scheduler.

It is a process of its own, started by `make run` next to runserver, so runserver's autoreloader never starts a
second one (and a code change needs a restart of `make run` to reach it).
"""

import logging
import time
from datetime import datetime

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from config.celery import app
from reminders.services import in_quiet_hours

logger = logging.getLogger("reminders.scheduler")

# The longest sleep between two looks at the schedule (a shorter interval in the schedule wakes it sooner).
MAX_SLEEP_SECONDS = 30.0


def run_entry(name: str, entry: dict) -> bool:
    """Run one schedule entry's task in this process; False (logged, never raised) if it failed."""
    started = time.monotonic()
    try:
        task = app.tasks[entry["task"]]
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True)
    except Exception:
        logger.exception(
            "scheduler: %s (%s) failed; the others go on, it runs again at its next turn", name, entry.get("task")
        )
        return False
    logger.info(
        "scheduler: ran %s (%s) in %.1f s, result %r", name, entry["task"], time.monotonic() - started, result.result
    )
    return True


class Command(BaseCommand):
    help = "Run the Celery beat schedule (config/celery.py) in this process: the embedded mode's scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every entry once and stop (tests, operators).")
        parser.add_argument(
            "--force", action="store_true", help="Run outside the embedded mode too (never next to a Celery beat)."
        )

    def handle(self, *args, once: bool = False, force: bool = False, **options):
        if not force and not (settings.EMBEDDED and settings.CELERY_TASK_ALWAYS_EAGER):
            raise CommandError(
                "run_scheduler is the embedded mode's scheduler (no DATABASE_URL, no broker). With a broker run "
                "`celery -A config worker` and exactly one `celery -A config beat`; --force to insist."
            )
        # Celery imports the apps' tasks modules when a worker starts; this process is no worker.
        app.autodiscover_tasks(force=True)
        entries = app.conf.beat_schedule
        schedules = {name: maybe_schedule(entry["schedule"], app=app) for name, entry in entries.items()}
        logger.info(
            "scheduler: %s entries (%s)", len(entries), ", ".join(f"{n} every {schedules[n]}" for n in entries)
        )
        if in_quiet_hours(datetime.now().astimezone()):
            start, end = settings.PORTAL_REMINDER_QUIET_HOURS
            logger.info(
                "scheduler: quiet hours now (%02d:00–%02d:00 Istanbul): reminders wait for the morning "
                "(PORTAL_QUIET_FROM_HOUR / PORTAL_QUIET_UNTIL_HOUR change them)",
                start,
                end,
            )

        last_run: dict[str, datetime] = {}
        while True:
            for name, entry in entries.items():
                if name not in last_run or schedules[name].is_due(last_run[name]).is_due:
                    last_run[name] = schedules[name].now()
                    run_entry(name, entry)
            if once:
                return
            # A long-lived process, like a worker between tasks: drop connections that are too old or broken.
            close_old_connections()
            wait = min(schedules[name].is_due(last_run[name]).next for name in entries)
            time.sleep(max(1.0, min(wait, MAX_SLEEP_SECONDS)))
