"""Imports an operator delivery report (CSV) all or nothing, streamed from disk; prints the report in Turkish.

Exit code 0 when the file was imported (or, with --dry-run, would be), 1 when a row is bad or a prepaid account's
credit does not cover it: then nothing was written and every bad row is listed with its line number.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from billing.deliveries import import_delivery_report, report_lines


class Command(BaseCommand):
    help = "Operatörün teslim raporunu (CSV) içe aktarır: hatalı satır varsa hiçbir şey kaydetmez."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV dosyası: message_id,part,account,recipient,sent_at,status,parts[,text]")
        parser.add_argument("--dry-run", action="store_true", help="Yalnızca denetle; hiçbir şey kaydetme.")
        parser.add_argument("--user", help="Yükleyen personelin e-posta adresi (raporda kaydedilir).")

    def handle(self, *args, file: str, dry_run: bool = False, user: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Dosya bulunamadı: %(path)s") % {"path": file})
        importer = None
        if user:
            importer = User.objects.filter(email__iexact=user, is_staff=True).first()
            if importer is None:
                raise CommandError(_("Bu e-posta adresiyle bir personel bulunamadı: %(email)s") % {"email": user})
        with path.open("rb") as handle:
            result = import_delivery_report(handle, file_name=path.name, user=importer, dry_run=dry_run)
        for line in report_lines(result):
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(_("Rapor içe aktarılmadı."), returncode=1)
