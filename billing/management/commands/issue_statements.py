"""Issues a month's statements to invoiced accounts, in process: `manage.py issue_statements [--month YYYY-MM]`.

The same run as the monthly Celery beat job (billing.tasks.issue_statements), and as safe to repeat: a month already
billed issues nothing new. Without --month it bills the previous calendar month (Europe/Istanbul).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from billing.statements import IncompleteRun, StatementError, issue_statements, month_name


def month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month must look like 2026-10, not {value!r}.") from None


class Command(BaseCommand):
    help = "Bir ayın faturalarını faturalı hesaplara düzenler (varsayılan: geçen ay, İstanbul saatiyle)."

    def add_arguments(self, parser):
        parser.add_argument("--month", type=month, help="Faturalanacak ay, YYYY-MM (ör. 2026-10).")

    def handle(self, *args, month: datetime.date | None = None, **options):
        try:
            result = issue_statements(month)
        except IncompleteRun as error:
            self.report(error.result)
            for code, failure in error.result.failed:
                self.stderr.write(f"{code}: {failure!r}")
            raise CommandError(error.message) from None
        except StatementError as error:
            raise CommandError(error.message) from None
        self.report(result)

    def report(self, result) -> None:
        for statement in result.issued:
            self.stdout.write(
                f"{statement.number}  {statement.account.code}  "
                f"{number_format(statement.total, 2, use_l10n=True, force_grouping=True)} TL  {statement.buyer_name}"
            )
        self.stdout.write(
            f"{month_name(result.period)}: {len(result.issued)} fatura düzenlendi, "
            f"{result.skipped} hesabın faturası zaten vardı."
        )
