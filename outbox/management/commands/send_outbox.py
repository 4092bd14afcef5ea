"""Send every outbox message that is due, once, in this process (the embedded mode, and operators after an outage)."""

from django.core.management.base import BaseCommand

from outbox import delivery
from outbox.models import OutboxEmail


class Command(BaseCommand):
    help = "Send the outbox's due e-mail now, in process, and report what is left."

    def handle(self, *args, **options):
        sent = delivery.send_due_emails()
        waiting = OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING).count()
        needs_staff = OutboxEmail.objects.filter(
            state__in=[OutboxEmail.State.FAILED, OutboxEmail.State.UNCERTAIN]
        ).count()
        self.stdout.write(f"sent {sent}; still pending {waiting}; failed or uncertain {needs_staff}")
