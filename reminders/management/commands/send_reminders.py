"""One reminder sweep, now, in this process (operators, the embedded mode, tests); then the outbox is sent."""

from django.core.management.base import BaseCommand

from outbox import delivery
from outbox.models import OutboxEmail
from reminders import services


class Command(BaseCommand):
    help = "Run one reminder sweep in process and send the e-mails it queued."

    def handle(self, *args, **options):
        result = services.send_reminders()
        if result.quiet:
            self.stdout.write("quiet hours (21:00–08:00 Istanbul): nothing sent; reminders wait for the morning")
            return
        # Queued digests go out through their tasks (in this process in the embedded mode, else on a worker); what
        # is still waiting is sent here and now.
        delivery.send_due_emails(include_fresh=True)
        sent = OutboxEmail.objects.filter(pk__in=result.email_ids, state=OutboxEmail.State.SENT).count()
        self.stdout.write(
            f"reminders recorded {result.reminders}; digests queued {result.emails}; of them sent {sent}"
        )
