"""Creates the demo logins of the embedded mode (an applicant, a reviewer, a finance user and a superuser), the
demo applications, one due for each kind of reminder (onboarding/demo.py), so `make run` shows the digests at once,
the lived-in portal (applications of every institution type in every state, by several demo applicants, with
generated documents: onboarding/demo.py and onboarding/demo_documents.py), and the billing demo (billing/demo.py):
prepaid and invoiced customers with months of history.

Idempotent: a second run finds the users and resets nothing but their group and password, and adds no application.
Refuses to run outside DEBUG unless forced, because demo passwords in production are an incident.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from billing import demo as billing_demo
from onboarding import demo

DEMO_USERS = [
    # (e-mail, password, full name, role, is_staff, is_superuser)
    ("basvuru@demo.local", "Basvuru-Demo-2026", "Ayşe Yılmaz", roles.APPLICANTS, False, False),
    ("inceleme@demo.local", "Inceleme-Demo-2026", "Mehmet Işık", roles.REVIEWERS, True, False),
    ("muhasebe@demo.local", "Muhasebe-Demo-2026", "Zeynep Çağlar", roles.FINANCE, True, False),
    ("yonetici@demo.local", "Yonetici-Demo-2026", "Sistem Yöneticisi", None, True, True),
]


class Command(BaseCommand):
    help = "Demo kullanıcılarını oluşturur (yalnızca gömülü/DEBUG kipinde)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="DEBUG kapalıyken de çalıştır.")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for the embedded mode only (DEBUG is off); use --force to insist.")
        rows = []
        for email, password, full_name, role, is_staff, is_superuser in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User(email=email, full_name=full_name)
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.email_confirmed_at = user.email_confirmed_at or timezone.now()
            user.set_password(password)
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
            rows.append((role or "Superuser", email, password))
        applicant = User.objects.get(email=DEMO_USERS[0][0])
        reviewer = User.objects.get(email=DEMO_USERS[1][0])
        added = demo.load_due_applications(applicant, reviewer)
        lived_in = demo.load_lived_in_applications(applicant, reviewer)
        rows.append(("Unconfirmed", demo.UNCONFIRMED_EMAIL, demo.UNCONFIRMED_PASSWORD))
        for email, _full_name in demo.APPLICANTS.values():
            rows.append(("Applicants", email, demo.DEMO_APPLICANT_PASSWORD))
        customers = billing_demo.load_billing_history(
            User.objects.get(email=DEMO_USERS[0][0]),
            User.objects.get(email=DEMO_USERS[1][0]),
            User.objects.get(email=DEMO_USERS[2][0]),
        )
        rows.append(("Customer", billing_demo.CUSTOMER_EMAIL, billing_demo.CUSTOMER_PASSWORD))

        self.stdout.write("\nDemo girişleri / demo logins:")
        for role, email, password in rows:
            self.stdout.write(f"  {role:<11} {email:<24} {password}")
        if added:
            self.stdout.write(
                f"Hatırlatma bekleyen demo başvuruları / demo applications due for reminders: {len(added)}"
            )
        if lived_in:
            self.stdout.write(
                "Her kurum türünden, her durumda demo başvurusu / demo applications of every type and state: "
                f"{len(lived_in)}"
            )
        if customers:
            self.stdout.write(f"Geçmişi olan demo müşteri hesapları / demo customers with history: {len(customers)}")
        self.stdout.write(
            "Örnek teslim raporu / the demo delivery report: "
            f"{billing_demo.DEMO_REPORT.relative_to(settings.BASE_DIR)} — "
            "admin → Teslim raporları → İçe aktar, "
            f"then `python manage.py issue_statements --month {billing_demo.DEMO_MONTH:%Y-%m}`"
        )
        self.stdout.write("")
