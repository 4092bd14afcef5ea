"""The requirement catalogue as the membership guide states it (`catalogue.md`), loaded by a data migration.

Kept as plain data so the migration, the demo data and the tests read one source. Once loaded, the database is the
truth: staff edit it in the admin, and this module is never read again by the running portal.
"""

REQ, OPT, COND = "required", "optional", "conditional"

# The letters as the portal produces them (migration 0009 moved the stored texts here from the guide's wording, which
# repeated "Muhtarlığı muhtarlığını", titled a board decision "YETKİ YAZISI" and named a dean for a primary school).
# {signatory_title} is the title the applicant entered ("Belediye Başkanı", "Okul Müdürü" …), so each letter names
# whoever really signs it; `default_signatory_title` stands in when the applicant left it empty.
LETTER_TEMPLATES = [
    {
        "code": "A",
        "name": "Belediye, oda ve siyasi parti yetki yazısı",
        "name_en": "Authorisation letter for municipalities, chambers and political parties",
        "kind": "letter",
        "title": "YETKİ YAZISI",
        "subject": "Toplu SMS gönderim yetkisi",
        "addressee": "{reseller} Yetkililerine",
        "body": (
            "{institution} adına; Toplu SMS hizmetinin {reseller} firmasının sistemi kullanılarak {operator} hattı "
            "üzerinden Toplu SMS gönderimi yapılmasına {signatory_title} {authorised_person} yetkili kılınmıştır."
            "\n\nBilgilerinize rica ederim."
        ),
        "body_en": (
            "On behalf of {institution}: {signatory_title} {authorised_person} is authorised to send bulk SMS using "
            "the system of {reseller} over the {operator} line."
        ),
        "default_signatory_title": "Başkanımız",
        "board_members": 0,
    },
    {
        "code": "B",
        "name": "Dernek, vakıf, kooperatif, site yönetimi ve hastane karar örneği",
        "name_en": "Board decision for associations, foundations, cooperatives, housing estates and hospitals",
        "kind": "decision",
        "title": "KARAR",
        "subject": "Toplu SMS gönderimi ve yetkilendirme",
        "addressee": "",
        "body": (
            "Yönetim kurulumuz {date} tarihinde, {day} günü toplanarak aşağıdaki kararı almıştır:"
            "\n\n{reseller} firmasının sistemi kullanılarak {operator} hatları üzerinden Toplu SMS gönderimi "
            "yapılmasına ve bu konudaki sözleşme ile belgelerin imzalanmasına {signatory_title} {authorised_person} "
            "yetkili kılınmıştır.\n\nİşbu karar oy birliğiyle alınmıştır."
        ),
        "body_en": (
            "The board, meeting on {day} {date}, decided unanimously: {signatory_title} {authorised_person} is "
            "authorised to send bulk SMS using the system of {reseller} over {operator} lines and to sign the "
            "contract and documents for it."
        ),
        "default_signatory_title": "Yönetim Kurulu Başkanı",
        "board_members": 2,
    },
    {
        "code": "C",
        "name": "Muhtarlık karar örneği",
        "name_en": "Decision for headman offices",
        "kind": "decision",
        "title": "KARAR",
        "subject": "Toplu SMS gönderimi",
        "addressee": "",
        "body": (
            "Muhtarlığımızca {date} tarihinde imzalanan SMS sözleşmesi uyarınca, {reseller} firmasının sistemi "
            "kullanılarak {operator} hatları üzerinden Toplu SMS gönderimi yapılmasına {signatory_title} "
            "{authorised_person} yetkili kılınmıştır."
        ),
        "body_en": (
            "Under the SMS contract the office signed on {date}, {signatory_title} {authorised_person} is authorised "
            "to send bulk SMS for {institution} using the system of {reseller} over {operator} lines."
        ),
        "default_signatory_title": "Muhtar",
        "board_members": 0,
    },
    {
        "code": "D",
        "name": "Üniversite ve okul yetki yazısı",
        "name_en": "Authorisation letter for universities and schools",
        "kind": "letter",
        "title": "YETKİ YAZISI",
        "subject": "Toplu SMS gönderim yetkisi",
        "addressee": "{reseller} Yetkililerine",
        "body": (
            "{institution} olarak; {reseller} firmasının sistemi kullanılarak {operator} hatları üzerinden Toplu SMS "
            "gönderimi yapılmasına {signatory_title} {authorised_person} yetkili kılınmıştır."
            "\n\nBilgilerinize rica ederim."
        ),
        "body_en": (
            "As {institution}, we authorise {signatory_title} {authorised_person} to send bulk SMS using the system "
            "of {reseller} over {operator} lines."
        ),
        "default_signatory_title": "",
        "board_members": 0,
    },
]

DOCUMENT_KINDS = [
    ("sms_contract", "Son kullanıcı SMS sözleşmesi", "End-user SMS contract"),
    ("signature_declaration", "İmza beyannamesi", "Signature declaration"),
    ("tax_plate", "Vergi levhası", "Tax plate"),
    ("id_copy", "Kimlik fotokopisi", "ID copy"),
    ("authority_certificate", "Yetki belgesi", "Certificate of authority"),
    ("council_decision", "Encümen kararı", "Council decision"),
    ("sms_letter", "SMS yazı örneği (yetki yazısı)", "Authorisation letter"),
    ("sms_decision", "SMS karar örneği", "Decision about SMS"),
    (
        "decision_book_first_page",
        "Karar defterinin noter onaylı ilk sayfası",
        "Notarised first page of the decision book",
    ),
    ("election_certificate", "Mazbata", "Certificate of election"),
]

CONDITIONS = [
    {
        "code": "private_hospital",
        "question": "Kurumunuz özel hastane mi?",
        "question_en": "Is your institution a private hospital?",
        "help_text": "Özel hastaneler vergi levhasını da gönderir.",
        "help_text_en": "Private hospitals also send their tax plate.",
    },
    {
        "code": "keeps_decision_book",
        "question": "Muhtarlığınız karar defteri tutuyor mu?",
        "question_en": "Does your office keep a decision book?",
        "help_text": "Karar defteri varsa noter onaylı ilk sayfası istenir.",
        "help_text_en": "If it does, the notarised first page of the book is needed.",
    },
]

# (status, document kind, Turkish label as in the guide, English label, Turkish note, English note, condition)
_COMPANY = [
    (REQ, "sms_contract", "Son Kullanıcı SMS sözleşmesi", "End-user SMS contract", "", "", None),
    (REQ, "signature_declaration", "İmza Beyannamesi", "Signature declaration", "", "", None),
    (REQ, "tax_plate", "Vergi Levhası", "Tax plate (tax registration certificate)", "", "", None),
    (REQ, "id_copy", "İmza Yetkilisinin Kimlik Fotokopisi", "ID copy of the authorised signatory", "", "", None),
    (REQ, "authority_certificate", "Yetki Belgesi", "Certificate of authority", "", "", None),
]

INSTITUTION_TYPES = [
    {
        "code": "sole_proprietorship",
        "name": "Şahıs Şirketleri",
        "name_en": "Sole proprietorships",
        "description": "Tek kişiye ait işletmeler; vergi numarası yerine T.C. kimlik numarası verilebilir.",
        "description_en": "Businesses owned by one person; a national ID number may stand for the tax number.",
        "template": None,
        "requirements": _COMPANY,
        "rules": [],
    },
    {
        "code": "company",
        "name": "Limited ve Anonim Şirketler",
        "name_en": "Limited and joint-stock companies",
        "description": "Ltd. Şti. ve A.Ş. unvanlı ticari şirketler.",
        "description_en": "Limited (Ltd. Şti.) and joint-stock (A.Ş.) companies.",
        "template": None,
        # The guide gives them no list of their own: the company list applies until staff edit it.
        "requirements": _COMPANY,
        "rules": [],
    },
    {
        "code": "municipality",
        "name": "Belediyeler",
        "name_en": "Municipalities",
        "description": "Büyükşehir, il, ilçe ve belde belediyeleri.",
        "description_en": "Metropolitan, provincial, district and town municipalities.",
        "template": "A",
        "requirements": [
            (
                REQ,
                "council_decision",
                "Encümen Kararı",
                "Municipal council decision",
                "SMS ile ilgili kararı mutlaka içermelidir.",
                "It must contain the decision about SMS.",
                None,
            ),
            (
                REQ,
                "sms_letter",
                "SMS yazı örneği",
                "SMS authorisation letter (the portal's sample, on your letterhead)",
                "Belediye mührü ve Belediye Başkanının kaşesi ve imzası mutlaka olmalıdır.",
                "Must bear the municipality's seal and the mayor's stamp and signature.",
                None,
            ),
            (REQ, "id_copy", "Yetkilinin kimlik fotokopisi", "ID copy of the authorised person", "", "", None),
            (
                OPT,
                "signature_declaration",
                "Yetkilinin imza beyannamesi (varsa)",
                "Signature declaration of the authorised person, if any",
                "",
                "",
                None,
            ),
            (
                REQ,
                "authority_certificate",
                "Başkan olduğuna dair yetki belgesi",
                "Document proving the signatory is the mayor",
                "",
                "",
                None,
            ),
        ],
        "rules": [],
    },
    {
        "code": "association",
        "name": "Dernekler, Vakıflar, Kooperatif, Site Yönetimi",
        "name_en": "Associations, foundations, cooperatives, housing-estate managements",
        "description": "Dernek, vakıf, kooperatif ve site/apartman yönetimleri.",
        "description_en": "Associations, foundations, cooperatives and housing-estate managements.",
        "template": "B",
        "requirements": [
            (
                REQ,
                "sms_decision",
                "SMS karar örneği",
                "Board decision on using SMS (the portal's sample)",
                "",
                "",
                None,
            ),
            (
                REQ,
                "decision_book_first_page",
                "Karar defterinin noterden onaylı ilk sayfası",
                "Notarised first page of the decision book",
                "",
                "",
                None,
            ),
            (REQ, "id_copy", "Yetkilinin kimlik fotokopisi", "ID copy of the authorised person", "", "", None),
            (
                OPT,
                "signature_declaration",
                "Yetkilinin imza beyannamesi (varsa)",
                "Signature declaration, if any",
                "",
                "",
                None,
            ),
        ],
        "rules": [
            ("SMS kararında mutlaka dernek kaşesi olmalı", "The SMS decision must bear the association's stamp"),
            (
                "Sözleşmeler dernek yetkilileri tarafından imzalanmalı",
                "Contracts must be signed by the association's officers",
            ),
        ],
    },
    {
        "code": "hospital",
        "name": "Hastaneler",
        "name_en": "Hospitals",
        "description": "Devlet, üniversite ve özel hastaneler.",
        "description_en": "Public, university and private hospitals.",
        "template": "B",
        "requirements": [
            (
                REQ,
                "sms_decision",
                "SMS karar örneği",
                "Board decision on using SMS (the portal's sample)",
                "",
                "",
                None,
            ),
            (
                REQ,
                "decision_book_first_page",
                "Karar defterinin noterden onaylı ilk sayfası",
                "Notarised first page of the decision book",
                "",
                "",
                None,
            ),
            (REQ, "id_copy", "Yetkilinin kimlik fotokopisi", "ID copy of the authorised person", "", "", None),
            (
                OPT,
                "signature_declaration",
                "Yetkilinin imza beyannamesi (varsa)",
                "Signature declaration, if any",
                "",
                "",
                None,
            ),
            (
                COND,
                "tax_plate",
                "Vergi Levhası — özel hastaneler için",
                "Tax plate: private hospitals only",
                "",
                "",
                "private_hospital",
            ),
        ],
        "rules": [
            ("SMS kararında mutlaka hastane kaşesi olmalı", "The SMS decision must bear the hospital's stamp"),
            (
                "Sözleşmeler hastane yetkilileri tarafından imzalanmalı",
                "Contracts must be signed by the hospital's officers",
            ),
        ],
    },
    {
        "code": "headman_office",
        "name": "Muhtarlıklar",
        "name_en": "Neighbourhood and village headman offices",
        "description": "Mahalle ve köy muhtarlıkları.",
        "description_en": "Neighbourhood and village headman offices.",
        "template": "C",
        "requirements": [
            (
                REQ,
                "sms_decision",
                "SMS karar örneği",
                "Headman's decision on using SMS (the portal's sample)",
                "",
                "",
                None,
            ),
            (
                COND,
                "decision_book_first_page",
                "Karar defterinin noterden onaylı ilk sayfası — karar defteri varsa",
                "Notarised first page of the decision book: only if the office keeps one",
                "",
                "",
                "keeps_decision_book",
            ),
            (REQ, "id_copy", "Muhtarın kimlik fotokopisi", "ID copy of the headman", "", "", None),
            (
                OPT,
                "signature_declaration",
                "Yetkilinin imza beyannamesi (varsa)",
                "Signature declaration, if any",
                "",
                "",
                None,
            ),
            (
                REQ,
                "election_certificate",
                "Muhtar olduğuna dair belge (mazbata)",
                "Certificate of election (mazbata)",
                "",
                "",
                None,
            ),
        ],
        "rules": [
            ("SMS kararında mutlaka muhtarlık kaşesi olmalı", "The SMS decision must bear the office's stamp"),
            ("Sözleşmeler muhtar tarafından imzalanmalı", "Contracts must be signed by the headman"),
        ],
    },
    {
        "code": "chamber",
        "name": "Odalar",
        "name_en": "Chambers",
        "description": "Meslek ve ticaret odaları.",
        "description_en": "Professional and trade chambers.",
        "template": "A",
        "requirements": [
            (
                REQ,
                "council_decision",
                "Encümen Kararı",
                "Council decision",
                "SMS ile ilgili kararı mutlaka içermelidir.",
                "It must contain the decision about SMS.",
                None,
            ),
            (
                REQ,
                "sms_letter",
                "SMS yazı örneği",
                "SMS authorisation letter (the portal's sample, on your letterhead)",
                "Oda mührü ve Oda Başkanının kaşesi ve imzası mutlaka olmalıdır.",
                "Must bear the chamber's seal and the president's stamp and signature.",
                None,
            ),
            (REQ, "id_copy", "Yetkilinin kimlik fotokopisi", "ID copy of the authorised person", "", "", None),
            (
                REQ,
                "signature_declaration",
                "Yetkilinin imza beyannamesi",
                "Signature declaration",
                "Odalar için zorunludur.",
                "Required for chambers, not only if one exists.",
                None,
            ),
            (
                REQ,
                "authority_certificate",
                "Başkan olduğuna dair yetki belgesi",
                "Document proving the signatory is the president",
                "",
                "",
                None,
            ),
        ],
        "rules": [],
    },
    {
        "code": "political_party",
        "name": "Siyasi Parti",
        "name_en": "Political parties",
        "description": "Siyasi partilerin genel merkez, il ve ilçe örgütleri.",
        "description_en": "Head offices and provincial or district organisations of political parties.",
        "template": "A",
        "requirements": [
            (
                REQ,
                "sms_letter",
                "SMS yazı örneği",
                "SMS authorisation letter (the portal's sample, on your letterhead)",
                "Parti mührü ve Parti Başkanının kaşesi ve imzası mutlaka olmalıdır.",
                "Must bear the party's seal and the party president's stamp and signature.",
                None,
            ),
            (
                REQ,
                "decision_book_first_page",
                "Karar defterinin noter onaylı ilk sayfasının fotokopisi",
                "Copy of the notarised first page of the decision book",
                "",
                "",
                None,
            ),
            (REQ, "id_copy", "Yetkilinin kimlik fotokopisi", "ID copy of the authorised person", "", "", None),
            (
                OPT,
                "signature_declaration",
                "Yetkilinin imza beyannamesi (varsa)",
                "Signature declaration, if any",
                "",
                "",
                None,
            ),
            (
                REQ,
                "authority_certificate",
                "Başkan olduğuna dair yetki belgesi",
                "Document proving the signatory is the president",
                "",
                "",
                None,
            ),
        ],
        "rules": [],
    },
    {
        "code": "school",
        "name": "Üniversiteler ve İlköğretim Okulları",
        "name_en": "Universities and schools",
        "description": "Üniversiteler, fakülteler, bölümler ve okullar.",
        "description_en": "Universities, faculties, departments and schools.",
        "template": "D",
        "requirements": [
            (
                REQ,
                "sms_letter",
                "SMS yazı örneği",
                "SMS authorisation letter (the portal's sample, on your letterhead)",
                "Dekan veya bölüm başkanı tarafından imzalanır; üniversite veya okul mührü ile imzalayanın kaşesi ve "
                "imzası olmalıdır.",
                "Signed by the dean or head of department, with the university's or school's seal and the "
                "signatory's stamp and signature.",
                None,
            ),
            (REQ, "id_copy", "Yetkililerin kimlik fotokopileri", "ID copies of the authorised persons", "", "", None),
            (
                REQ,
                "authority_certificate",
                "Yetki belgesi (dekan / bölüm başkanı / okul müdürü)",
                "Document proving the signatory is the dean, head of department or principal",
                "İmzalı, mühürlü ve kaşeli olmalıdır.",
                "Signed, sealed and stamped.",
                None,
            ),
        ],
        "rules": [],
    },
]

BILLING_TYPES = [
    {
        "code": "invoiced",
        "name": "Faturalı",
        "name_en": "Invoiced",
        "description": (
            "Bir takvim ayı içinde yaptığınız gönderimlerden yalnızca başarılı olanlar (alıcısına teslim edilenler) "
            "operatör tarafından takip eden ayda, Toplu Mesajlaşma Tarifesi üzerinden fatura edilir."
        ),
        "description_en": (
            "Only the messages delivered in a calendar month are invoiced by the operator in the following month, "
            "at the bulk-messaging tariff."
        ),
    },
    {
        "code": "prepaid",
        "name": "Ön Ödemeli",
        "name_en": "Prepaid",
        "description": (
            "Hesabınıza 1.000, 5.000, 10.000, 50.000 ya da 100.000'lik paketler halinde kontör yükler, hesabınızda "
            "yeterli kontör bulunduğu sürece gönderim yaparsınız. Ücretlendirme ön ödemeli paket tutarları "
            "üzerinden yapılır."
        ),
        "description_en": (
            "You load credits in packages of 1,000 / 5,000 / 10,000 / 50,000 / 100,000 and can send while enough "
            "credit remains, priced by the prepaid package price list."
        ),
    },
]

# Placeholder prices: finance sets the real ones in the admin.
CREDIT_PACKAGES = [
    (1_000, "450.00"),
    (5_000, "2000.00"),
    (10_000, "3600.00"),
    (50_000, "15000.00"),
    (100_000, "26000.00"),
]
TARIFF_TIERS = [(0, "0.4500"), (50_000, "0.3800")]

# What each document kind is and how to get it (Turkish, English), shown under every checklist item.
DOCUMENT_KIND_HELP = {
    "sms_contract": (
        "Toplu SMS hizmetinin son kullanıcı sözleşmesi. Bilgileriniz doldurulmuş hâlini bu sayfadaki bağlantıdan "
        "indirin, her sayfasını kaşeleyip yetkiliye imzalatın, taramasını yükleyin; aslını diğer asıllarla birlikte "
        "kargoyla gönderin.",
        "The end-user contract for the bulk-SMS service. Download it with your details filled in from the link on "
        "this page, stamp every page and have the signatory sign it, upload the scan, and send the original by cargo "
        "with the other originals.",
    ),
    "signature_declaration": (
        "Yetkilinin imza örneğini gösteren belge. Şahıs şirketleri imza beyannamesini ticaret sicili müdürlüğünde ya "
        "da noterde düzenletir; limited ve anonim şirketler yetkililerin noter onaylı imza sirkülerini gönderir. "
        "Kamu kurumu ve derneklerde varsa yetkilinin noterden alınmış imza beyannamesi yeterlidir.",
        "A document showing the signatory's specimen signature. Sole proprietors have the signature declaration "
        "drawn up at the trade registry or a notary; limited and joint-stock companies send the notarised signature "
        "circular (imza sirküleri) of their officers. Public bodies and associations send the signatory's notarised "
        "declaration if one exists.",
    ),
    "tax_plate": (
        "İşletmenin vergi mükellefiyetini gösteren belge. Gelir İdaresi Başkanlığının İnternet Vergi Dairesi'nden "
        '(ivd.gib.gov.tr) e-Devlet ya da vergi dairesi şifresiyle "Vergi Levhası Sorgulama / Yazdırma" menüsünden '
        "barkodlu olarak indirilir; son yılın levhasını yükleyin.",
        "The certificate of tax registration. Download it with its barcode from the Revenue Administration's "
        'Internet Tax Office (ivd.gib.gov.tr, menu "Vergi Levhası Sorgulama / Yazdırma") with an e-Devlet or tax '
        "office password; upload the latest year's plate.",
    ),
    "id_copy": (
        "İmza yetkilisinin T.C. kimlik kartının ön ve arka yüzünün okunaklı fotokopisi ya da taraması. Fotoğraf ve "
        "T.C. kimlik numarası açıkça görünmelidir.",
        "A legible copy or scan of both sides of the signatory's Turkish identity card; the photo and the national "
        "ID number must be clearly visible.",
    ),
    "authority_certificate": (
        "İmzalayanın kurumu temsile yetkili olduğunu gösteren belge. Şirketlerde yetkiliyi gösteren Ticaret Sicili "
        "Gazetesi ilanı (ticaretsicil.gov.tr) ya da ticaret odasından alınan faaliyet belgesi; belediye başkanı için "
        "ilçe seçim kurulunun verdiği mazbata; oda ve parti başkanı için seçim tutanağı ya da üst kurulun "
        "görevlendirme yazısı; dekan, bölüm başkanı veya okul müdürü için atama ya da görevlendirme yazısı.",
        "A document showing that the signatory may represent the institution: for companies the Trade Registry "
        "Gazette notice naming the officers (ticaretsicil.gov.tr) or an activity certificate from the chamber of "
        "commerce; for a mayor the certificate of election (mazbata) from the district election board; for a chamber "
        "or party president the election minutes or the appointing body's letter; for a dean, head of department or "
        "principal the letter of appointment.",
    ),
    "council_decision": (
        "Belediye encümeninin (odalarda yönetim kurulunun) Toplu SMS hizmetinin alınmasına ve yetkilinin "
        "belirlenmesine dair kararının onaylı örneği; yazı işleri biriminden alınır. Kararda SMS ile ilgili hüküm "
        "açıkça yer almalıdır.",
        "A certified copy of the council's (for chambers: the board's) decision to take the bulk-SMS service and to "
        "name the authorised person, from the institution's clerk's office. It must state the decision about SMS.",
    ),
    "sms_letter": (
        "Portalın kurum türünüze göre doldurduğu yetki yazısı. Buradaki bağlantıdan PDF ya da antetli kâğıdınıza "
        "aktarabileceğiniz Word (.docx) olarak indirin; sayı ve tarih verip mühürleyin, yetkiliye imzalatın, "
        "taramasını yükleyin.",
        "The authorisation letter the portal fills in for your institution type. Download it from the link here as a "
        "PDF or as a Word file (.docx) to put on your letterhead; give it a number and date, seal it, have it "
        "signed, and upload the scan.",
    ),
    "sms_decision": (
        "Yönetim kurulunun (muhtarlıkta muhtarın) Toplu SMS gönderimine ve yetkiliye dair kararı. Portalın "
        "hazırladığı karar örneğini indirin, karar defterine işleyin ya da çıktısını kaşeleyip imzalatın; "
        "taramasını yükleyin.",
        "The board's (for a headman office: the headman's) decision about sending bulk SMS and who is authorised. "
        "Download the decision the portal prepares, enter it in the decision book or stamp and sign the printout, "
        "and upload the scan.",
    ),
    "decision_book_first_page": (
        "Karar defterinin, noterin onay şerhini taşıyan ilk sayfası. Bu sayfanın fotokopisini ya da taramasını "
        "yükleyin; bunun için yeniden notere gitmeniz gerekmez.",
        "The first page of the decision book, the one carrying the notary's certification. Upload a copy or scan of "
        "that page; no new visit to the notary is needed.",
    ),
    "election_certificate": (
        "Muhtarın seçildiğini gösteren, ilçe seçim kurulunca verilen mazbata. Okunaklı bir fotokopisini yükleyin; "
        "kaybolduysa ilçe seçim kurulundan onaylı örneği istenebilir.",
        "The certificate of election (mazbata) issued to the headman by the district election board. Upload a "
        "legible copy; if it is lost, the board can issue a certified copy.",
    ),
}

# The first version of the end-user SMS contract; staff add later versions in the admin.
SMS_CONTRACT = {
    "version": "2026-1",
    "effective_from": "2026-01-01",
    "title": "SON KULLANICI SMS SÖZLEŞMESİ",
    "body": """MADDE 1 — TARAFLAR

Bu sözleşme, {reseller} ({reseller_address}) (bundan sonra "Hizmet Sağlayıcı") ile {institution} (vergi
dairesi / numarası: {tax_office} / {tax_number}; adres: {address}; telefon: {phone}; e-posta: {email}) (bundan
sonra "Son Kullanıcı") arasında aşağıdaki şartlarla imzalanmıştır. Son Kullanıcıyı {signatory_title}
{signatory_name} temsil eder.

MADDE 2 — KONU

Sözleşmenin konusu, Hizmet Sağlayıcının sistemi kullanılarak {operator} hatları üzerinden Son Kullanıcı adına
Toplu SMS gönderimi yapılması hizmetinin şartlarıdır.

MADDE 3 — HİZMETİN KAPSAMI

Hizmet Sağlayıcı, Son Kullanıcının onaylanmış SMS başlıklarıyla ileti göndermesine imkân veren yazılımı
ücretsiz olarak sağlar. Gönderimler, {operator} tarafından Son Kullanıcının kurumsal hattı üzerinden
ücretlendirilir: faturalı hesaplarda yalnızca alıcısına teslim edilen iletiler takip eden ay fatura edilir; ön
ödemeli hesaplarda gönderim, yüklenen kontör kadar yapılabilir.

MADDE 4 — SON KULLANICININ YÜKÜMLÜLÜKLERİ

Son Kullanıcı; gönderdiği iletilerin içeriğinden sorumludur. Ticari elektronik iletileri yalnızca 6563 sayılı
Elektronik Ticaretin Düzenlenmesi Hakkında Kanun ve ilgili yönetmelik uyarınca onayı İleti Yönetim Sistemi'ne
(İYS) kayıtlı alıcılara gönderir; her iletide kendisini tanıtan bilgiyi ve ret hakkının nasıl kullanılacağını
belirtir. Genel ahlaka, kamu düzenine ve mevzuata aykırı, yanıltıcı veya başkalarının haklarını ihlal eden
içerik göndermez. SMS başlığı olarak yalnızca kendi unvanını, tescilli markasını ya da kendisine ait alan adı
veya telefon numarasını kullanır.

MADDE 5 — KİŞİSEL VERİLER

Taraflar, 6698 sayılı Kişisel Verilerin Korunması Kanunu'na uyar. Son Kullanıcı, alıcıların telefon
numaralarını hukuka uygun olarak elde ettiğini ve işlediğini beyan eder; Hizmet Sağlayıcı bu verileri yalnızca
gönderimi yapmak için ve gerekli güvenlik önlemlerini alarak işler.

MADDE 6 — SÜRE VE FESİH

Sözleşme imza tarihinde yürürlüğe girer ve süresizdir. Taraflardan her biri otuz gün önceden yazılı bildirimle
sözleşmeyi feshedebilir. Son Kullanıcının 4. maddeye aykırı davranması hâlinde Hizmet Sağlayıcı gönderimleri
derhâl durdurabilir.

MADDE 7 — UYUŞMAZLIKLAR

Bu sözleşmeden doğan uyuşmazlıklarda İstanbul (Anadolu) Mahkemeleri ve İcra Daireleri yetkilidir.

MADDE 8 — YÜRÜRLÜK

Sekiz maddeden oluşan bu sözleşme iki nüsha olarak düzenlenmiş, Son Kullanıcı tarafından okunarak
imzalanmıştır. Sözleşmenin her sayfası Son Kullanıcının kaşesini ve yetkilisinin imzasını taşır.""",
}
