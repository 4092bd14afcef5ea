"""Real-looking paperwork for the demo applications, generated at load time (no binaries in the repository).

Each PDF document is one A4 page of the kind a Turkish institution sends: a tax plate, a signature declaration, the
filled authorisation letter with a seal and a signature, a council or board decision, a certificate of election, an
end-user SMS contract. All the pages of all the applications are rendered by WeasyPrint in one go (with the vendored
DejaVu fonts, through onboarding.pdf's fetcher) and split into one PDF per document with pypdf: one rendering for
them all is what keeps `load_demo_data` fast. Where a real applicant would send a phone photo (an ID card, the
notarised first page of a decision book), a JPEG or PNG is drawn with Pillow.

Deterministic: the same application gives the same text and the same pixels (a seeded random for the photos' details).
"""

import io
import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter

from onboarding import pdf
from onboarding.models import Application
from onboarding.turkish import province_name

# Which kinds are photographed rather than printed to PDF, and in which format.
PHOTOGRAPHED = {"id_copy": "jpeg", "decision_book_first_page": "png"}


@dataclass(frozen=True)
class DemoFile:
    name: str
    content: bytes
    content_type: str


def _province(application: Application) -> str:
    return province_name(application.province)


def _date(application: Application) -> str:
    return formats.date_format(application.decision_date, "d.m.Y") if application.decision_date else "……/……/……"


def _seal(application: Application) -> SafeString:
    """A round blue seal with the institution's name, as stamped on the page."""
    return format_html(
        '<div class="seal"><div class="seal-inner">{}<br><span>{}</span></div></div>',
        application.legal_name,
        _province(application),
    )


def _signature(name: str, title: str) -> SafeString:
    """A scribbled signature over the signatory's name and title."""
    return format_html(
        '<div class="signature">'
        '<svg width="150" height="46" viewBox="0 0 150 46"><path d="M4 34 C 20 4, 30 44, 44 22 S 62 8, 70 30 '
        'S 92 40, 104 14 S 126 30, 146 18" fill="none" stroke="#1b2f7a" stroke-width="2"/></svg>'
        "<div><strong>{}</strong></div><div>{}</div></div>",
        name,
        title,
    )


def _header(application: Application, title: str) -> SafeString:
    return format_html(
        '<div class="head"><div class="org">T.C.<br>{}</div><div class="no">Sayı: {}-{}<br>Tarih: {}</div></div>'
        "<h1>{}</h1>",
        application.legal_name,
        application.reference.removeprefix("TS-"),
        application.institution_type.code[:3].upper() if application.institution_type else "GEN",
        _date(application),
        title,
    )


def _tax_plate(application: Application) -> SafeString:
    kind = "T.C. Kimlik No" if application.tax_number_kind == "tckn" else "Vergi Kimlik No"
    rows = [
        ("Adı Soyadı / Unvanı", application.legal_name),
        ("Vergi Dairesi", f"{application.tax_office} Vergi Dairesi Müdürlüğü"),
        (kind, application.tax_number),
        (
            "İş Yeri Adresi",
            " ".join(application.address.split()) + f" / {_province(application)}",
        ),
        ("Vergi Türü", "Gelir Vergisi" if application.tax_number_kind == "tckn" else "Kurumlar Vergisi"),
        ("Faaliyet", "Hizmet"),
        ("İşe Başlama Tarihi", "01.03.2014"),
    ]
    table = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
    return format_html(
        '<div class="gib">T.C. HAZİNE VE MALİYE BAKANLIĞI<br>GELİR İDARESİ BAŞKANLIĞI</div>'
        "<h1>VERGİ LEVHASI</h1><table>{}</table>"
        '<p class="small">Bu belge Gelir İdaresi Başkanlığının internet vergi dairesinden alınmıştır. '
        "Onay kodu: {}</p>",
        table,
        application.reference.replace("-", "")[2:],
    )


def _signature_declaration(application: Application) -> SafeString:
    return format_html(
        "<h1>İMZA SİRKÜLERİ</h1>"
        "<p>{} adına her türlü yazışma ve sözleşmeyi münferiden imzalamaya yetkili olan {} ({}, T.C. Kimlik No: "
        "{}) imzası aşağıdadır.</p>{}"
        '<div class="notary">T.C. {} {}. NOTERLİĞİ<br>Yevmiye No: {} · Bu imzanın yukarıda adı geçen kişiye ait '
        "olduğunu onaylarım.</div>",
        application.legal_name,
        application.signatory_name,
        application.signatory_title,
        application.signatory_tckn,
        _signature(application.signatory_name, application.signatory_title),
        application.district,
        1 + int(application.tax_number[-1]),
        application.tax_number[-5:],
    )


def _letter(application: Application, title: str) -> SafeString:
    template = application.institution_type.letter_template if application.institution_type else None
    body = template.render(application.letter_values) if template else ""
    return format_html(
        "{}<p>Konu: Toplu SMS hizmeti yetkilendirmesi</p><p>{}</p><p>{}</p><p>Gereğini arz ederim.</p>{}{}",
        _header(application, title),
        f"{settings.PORTAL_RESELLER_NAME} Müdürlüğüne,",
        body,
        _seal(application),
        _signature(application.signatory_name, application.signatory_title),
    )


def _council_decision(application: Application) -> SafeString:
    return format_html(
        "{}<p>Karar No: {}</p><p>{} Encümeni toplanarak gündemdeki konuları görüşmüştür. Kurumun vatandaşlara "
        "duyuru ve bilgilendirme amacıyla Toplu SMS hizmeti alması, bu amaçla {} ile sözleşme imzalanması ve "
        "işlemlerin yürütülmesi için {} yetkili kılınmasına oy birliğiyle karar verilmiştir.</p>{}{}",
        _header(application, "ENCÜMEN KARARI"),
        f"{application.decision_date:%Y}/{application.tax_number[-3:]}" if application.decision_date else "2026/41",
        application.legal_name,
        settings.PORTAL_RESELLER_NAME,
        application.signatory_name,
        _seal(application),
        _signature(application.signatory_name, application.signatory_title),
    )


def _authority_certificate(application: Application) -> SafeString:
    return format_html(
        "{}<p>{} adına görev yapan {}, {} olarak kurumu temsil ve ilzama yetkilidir. Bu belge ilgilinin talebi "
        "üzerine düzenlenmiştir.</p>{}{}",
        _header(application, "YETKİ BELGESİ"),
        application.legal_name,
        application.signatory_name,
        application.signatory_title,
        _seal(application),
        _signature("Yazı İşleri Müdürü", application.legal_name),
    )


def _election_certificate(application: Application) -> SafeString:
    return format_html(
        '<div class="gib">T.C.<br>{} İlçe Seçim Kurulu Başkanlığı</div><h1>MAZBATA</h1>'
        "<p>31 Mart 2024 tarihinde yapılan mahalli idareler seçiminde {} muhtarlığına {} seçilmiş olduğundan "
        "işbu mazbata verilmiştir.</p>{}",
        application.district,
        application.legal_name.removesuffix(" Muhtarlığı"),
        application.signatory_name,
        _signature("İlçe Seçim Kurulu Başkanı", "Hâkim"),
    )


def _sms_contract(application: Application) -> SafeString:
    return format_html(
        "<h1>SON KULLANICI SMS SÖZLEŞMESİ</h1>"
        "<p><strong>Taraflar:</strong> {} (Hizmet Sağlayıcı) ile {}, {} Vergi Dairesi, {} (Son Kullanıcı).</p>"
        "<p>1. Son Kullanıcı, Hizmet Sağlayıcının sistemi üzerinden {} hatları ile toplu SMS gönderir.</p>"
        "<p>2. Son Kullanıcı, ticari elektronik ileti gönderiminde 6563 sayılı Kanun ve İleti Yönetim Sistemi "
        "kurallarına, kişisel verilerin işlenmesinde 6698 sayılı KVKK'ya uyar.</p>"
        "<p>3. İşbu sözleşme iki nüsha olarak düzenlenmiş ve taraflarca imzalanmıştır.</p>{}{}",
        settings.PORTAL_RESELLER_NAME,
        application.legal_name,
        application.tax_office,
        application.tax_number,
        settings.PORTAL_OPERATOR_NAME,
        _seal(application),
        _signature(application.signatory_name, application.signatory_title),
    )


PAGES = {
    "tax_plate": _tax_plate,
    "signature_declaration": _signature_declaration,
    "sms_letter": lambda a: _letter(a, "YETKİ YAZISI"),
    "sms_decision": lambda a: _letter(a, "KARAR"),
    "council_decision": _council_decision,
    "authority_certificate": _authority_certificate,
    "election_certificate": _election_certificate,
    "sms_contract": _sms_contract,
}

STYLE = """
section { page-break-after: always; position: relative; }
h1 { text-align: center; font-size: 15pt; letter-spacing: 0.5pt; margin: 8mm 0 6mm; }
.head { display: flex; justify-content: space-between; font-size: 9.5pt; }
.org { font-weight: bold; text-align: center; width: 60%; }
.no { text-align: right; }
.gib { text-align: center; font-weight: bold; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
th, td { border: 0.6pt solid #333; padding: 2.2mm 3mm; text-align: left; vertical-align: top; }
th { width: 38%; background: #f1f1f1; }
.small { font-size: 8pt; color: #444; margin-top: 8mm; }
.seal { position: absolute; left: 14mm; margin-top: 6mm; width: 34mm; height: 34mm; border: 1.6pt solid #23479b;
  border-radius: 50%; color: #23479b; transform: rotate(-12deg); opacity: 0.85; }
.seal-inner { margin: 3mm; height: 25mm; border: 0.6pt solid #23479b; border-radius: 50%; font-size: 6.5pt;
  text-align: center; padding-top: 6mm; font-weight: bold; }
.signature { margin: 10mm 0 0 auto; width: 60mm; text-align: center; font-size: 9.5pt; }
.notary { margin-top: 18mm; border: 1pt solid #7a1b1b; color: #7a1b1b; padding: 3mm; font-size: 8.5pt;
  transform: rotate(-2deg); }
"""


def _render(pages: list[tuple[Application, str]]) -> list[bytes]:
    """One PDF per (application, kind), each an A4 page, from a single WeasyPrint rendering split with pypdf."""
    fonts = pdf.font_dir()
    sections = format_html_join("", "<section>{}</section>", ((PAGES[kind](app),) for app, kind in pages))
    html = (
        '<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Demo</title><style>'
        + "".join(
            f'@font-face {{ font-family: "D"; src: url("{(fonts / name).as_uri()}"); font-weight: {weight}; }}'
            for weight, name in (("normal", pdf.FONT_FILES["regular"]), ("bold", pdf.FONT_FILES["bold"]))
        )
        + '@page { size: A4; margin: 18mm 20mm; } html { font-family: "D"; font-size: 10.5pt; line-height: 1.45; }'
        + STYLE
        + "</style></head><body>"
        + sections
        + "</body></html>"
    )
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    rendered = HTML(string=mark_safe(html), url_fetcher=pdf.resource_fetcher()).write_pdf(  # noqa: S308
        font_config=FontConfiguration()
    )
    reader = PdfReader(io.BytesIO(rendered))
    if len(reader.pages) != len(pages):
        raise RuntimeError(f"demo documents: {len(pages)} pages expected, {len(reader.pages)} rendered")
    out = []
    for page, (application, _kind) in zip(reader.pages, pages, strict=True):
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Title": application.legal_name, "/Producer": "Demo"})
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(pdf.font_dir() / pdf.FONT_FILES["bold" if bold else "regular"]), size)


def id_card_photo(application: Application) -> bytes:
    """A phone photo of the signatory's ID card (front) on a desk, as a JPEG of about 30 KB."""
    rng = random.Random(application.reference)  # noqa: S311 (pixels, not secrets)
    photo = Image.new("RGB", (900, 620), (118, 96, 74))
    card = Image.new("RGB", (680, 430), (224, 236, 246))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 680, 70), fill=(196, 30, 42))
    draw.text((20, 18), "TÜRKİYE CUMHURİYETİ KİMLİK KARTI", font=_font(26, bold=True), fill="white")
    draw.rectangle((24, 96, 204, 326), fill=(170, 182, 196), outline=(90, 90, 90))
    draw.ellipse((74, 130, 154, 210), fill=(120, 104, 96))
    draw.rounded_rectangle((54, 214, 174, 326), radius=40, fill=(60, 70, 90))
    # The name as on the card: no academic or medical titles ("Prof. Dr.").
    words = [word for word in application.signatory_name.split() if not word.endswith(".")]
    given, surname = " ".join(words[:-1]), words[-1]
    lines = [
        ("T.C. Kimlik No / TR Identity No", application.signatory_tckn),
        ("Soyadı / Surname", surname),
        ("Adı / Given Name(s)", given),
        (
            "Doğum Tarihi / Date of Birth",
            f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.19{rng.randint(60, 90)}",
        ),
        ("Seri No / Document No", f"A{rng.randint(10, 99)}Z{rng.randint(10000, 99999)}"),
    ]
    y = 92
    for label, value in lines:
        draw.text((228, y), label, font=_font(15), fill=(70, 80, 96))
        draw.text((228, y + 17), value, font=_font(22, bold=True), fill=(20, 20, 30))
        y += 52
    draw.text((660, 410), "ÖRNEK · DEMO", font=_font(14, bold=True), fill=(196, 30, 42), anchor="rs")
    card = card.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(118, 96, 74))
    photo.paste(card, (110 - (card.width - 680) // 2, 95 - (card.height - 430) // 2))
    # A phone's uneven light: darker towards the corners, and slightly soft.
    shade = Image.radial_gradient("L").resize(photo.size).point(lambda value: 255 - value // 3)
    photo = Image.composite(photo, Image.new("RGB", photo.size, (40, 32, 24)), shade)
    photo = photo.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=80)
    return out.getvalue()


def decision_book_scan(application: Application) -> bytes:
    """A greyscale scan of the notarised first page of the decision book, as a PNG."""
    page = Image.new("L", (620, 877), 246)
    draw = ImageDraw.Draw(page)
    draw.text((310, 70), "KARAR DEFTERİ", font=_font(30, bold=True), fill=30, anchor="mm")
    draw.text((310, 120), application.legal_name, font=_font(17, bold=True), fill=40, anchor="mm")
    draw.text((60, 190), "Bu defter 200 (ikiyüz) sayfadan ibaret olup", font=_font(16), fill=50)
    draw.text((60, 218), "birinci sayfası tarafımdan onaylanmıştır.", font=_font(16), fill=50)
    draw.ellipse((360, 560, 560, 760), outline=70, width=4)
    draw.text((460, 645), f"{application.district}", font=_font(16, bold=True), fill=70, anchor="mm")
    draw.text((460, 675), "NOTERLİĞİ", font=_font(16, bold=True), fill=70, anchor="mm")
    draw.line((80, 700, 130, 660, 170, 720, 220, 670, 270, 700), fill=40, width=3)
    for row in range(300, 520, 28):
        draw.line((60, row, 560, row), fill=215, width=1)
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=True)
    return out.getvalue()


def files_for(wanted: list[tuple[Application, list[str]]]) -> list[list[DemoFile]]:
    """For each application, its documents of these kinds (document kind codes) in the order given.

    Every printed page of every application comes from one rendering: WeasyPrint's cost is mostly per rendering.
    """
    printed = [(application, kind) for application, kinds in wanted for kind in kinds if kind not in PHOTOGRAPHED]
    rendered = dict(zip([(a.pk, kind) for a, kind in printed], _render(printed), strict=True)) if printed else {}
    out = []
    for application, kinds in wanted:
        files = []
        for kind in kinds:
            if kind == "id_copy":
                files.append(DemoFile("kimlik-on-yuz.jpg", id_card_photo(application), "image/jpeg"))
            elif kind == "decision_book_first_page":
                files.append(DemoFile("karar-defteri-ilk-sayfa.png", decision_book_scan(application), "image/png"))
            else:
                files.append(
                    DemoFile(f"{kind.replace('_', '-')}.pdf", rendered[application.pk, kind], "application/pdf")
                )
        out.append(files)
    return out
