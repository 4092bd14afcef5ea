"""One reminder sweep, now, in this process (operators, the embedded mode, tests); then the outbox is sent."""

from django.core.management.base import BaseCommand

from outbox import delivery
from reminders import services


class Command(BaseCommand):
    help = "Run one reminder sweep in process and send the e-mails it queued."

    def handle(self, *args, **options):
        result = services.send_reminders()
        if result.quiet:
            self.stdout.write("quiet hours (21:00–08:00 Istanbul): nothing sent; reminders wait for the morning")
            return
        sent = delivery.send_due_emails(include_fresh=True)
        self.stdout.write(
            f"reminders recorded {result.reminders}; digests queued {result.emails}; e-mails sent {sent}"
        )
