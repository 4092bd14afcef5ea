"""Help texts for the four sender-ID proofs (added beside the help texts of the other kinds, in parallel work)."""

from django.db import migrations

HELP = {
    "trade_registry_gazette": (
        "Şirketin unvanının yayımlandığı Türkiye Ticaret Sicili Gazetesi sayfası. Ticaret sicili müdürlüğünden ya da "
        "ticaretsicil.gov.tr üzerinden gazete arşivinden alınır; SMS başlığı şirket unvanından oluşuyorsa istenir.",
        "The page of the Turkish Trade Registry Gazette where the company's name was published. Get it from the trade "
        "registry office or the gazette archive at ticaretsicil.gov.tr; needed when the sender ID is the company name.",
    ),
    "sender_official_letter": (
        "Kurumun antetli kâğıdına yazılmış, SMS başlığının kurumun adı ya da kısaltması olduğunu belirten, yetkilinin "
        "imzaladığı ve mühürlediği resmi yazı. Kamu kurumları ve dernekler gibi ticaret siciline kayıtlı olmayanlar için.",
        "An official letter on the institution's letterhead, signed and sealed by the authorised person, stating that "
        "the sender ID is the institution's name or abbreviation. For bodies not in the trade registry.",
    ),
    "trademark_certificate": (
        "Türk Patent ve Marka Kurumu'nun verdiği marka tescil belgesi; SMS başlığı tescilli bir markaysa istenir. "
        "Belgeyi marka sahibi olarak kurumunuz adına düzenlenmiş haliyle yükleyin (turkpatent.gov.tr).",
        "The trademark registration certificate issued by the Turkish Patent and Trademark Office; needed when the "
        "sender ID is a registered brand. Upload it as issued to your institution as the owner (turkpatent.gov.tr).",
    ),
    "brand_permission": (
        "Marka sahibinin, bayisi ya da yetkili satıcısı olarak kurumunuzun bu markayı SMS başlığı olarak "
        "kullanmasına izin verdiğini bildiren, marka sahibince imzalanmış yazı; marka tescil belgesiyle birlikte.",
        "A letter signed by the brand owner allowing your institution, as its dealer or authorised seller, to use the "
        "brand as its sender ID; together with the brand's registration certificate.",
    ),
}


def forwards(apps, schema_editor):
    DocumentKind = apps.get_model("onboarding", "DocumentKind")
    for code, (text, text_en) in HELP.items():
        DocumentKind.objects.filter(code=code, help_text="").update(help_text=text, help_text_en=text_en)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0012_merge_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
