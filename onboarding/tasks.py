"""Celery entry points of the onboarding app: each takes ids or nothing and calls one service."""

from celery import shared_task

from onboarding import services


@shared_task
def send_reviewer_digest() -> int:
    """Periodic: tell reviewers about new submissions in one e-mail (see notify_reviewers_of_submissions)."""
    return services.notify_reviewers_of_submissions()
