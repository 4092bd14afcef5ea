"""The requirement catalogue as the membership guide states it (`catalogue.md`), loaded by a data migration.

Kept as plain data so the migration, the demo data and the tests read one source. Once loaded, the database is the
truth: staff edit it in the admin, and this module is never read again by the running portal.
"""

REQ, OPT, COND = "required", "optional", "conditional"

LETTER_TEMPLATES = [
    {
        "code": "A",
        "name": "Belediye, oda ve siyasi parti yetki yazısı",
        "name_en": "Authorisation letter for municipalities, chambers and political parties",
        "body": (
            "{institution} adına; Toplu SMS hizmetinin {reseller} firmasının sistemi kullanılarak {operator} hat "
            "üzerinden Toplu SMS gönderimi yapılmasına başkanımız {authorised_person} yetkili kılınmıştır."
        ),
        "body_en": (
            "On behalf of {institution}: our president {authorised_person} is authorised to send bulk SMS using the "
            "system of {reseller} over the {operator} line."
        ),
    },
    {
        "code": "B",
        "name": "Dernek, vakıf, kooperatif, site yönetimi ve hastane karar örneği",
        "name_en": "Board decision for associations, foundations, cooperatives, housing estates and hospitals",
        "body": (
            "Yönetim kurulunun {date} tarihli {day} günü toplanarak; {reseller} firmasının sistemi kullanılarak "
            "{operator} hatları üzerinden Toplu SMS gönderimi yapılmasına {authorised_person} yetkili kılınmıştır."
        ),
        "body_en": (
            "The board, meeting on {day} {date}, authorised {authorised_person} to send bulk SMS using the system of "
            "{reseller} over {operator} lines."
        ),
    },
    {
        "code": "C",
        "name": "Muhtarlık karar örneği",
        "name_en": "Decision for headman offices",
        "body": (
            "{institution} muhtarlığını {date} tarihinde SMS sözleşmesini imzalayarak {reseller} firmasının sistemi "
            "kullanılarak {operator} hatları üzerinden Toplu SMS gönderimi yapılmasına {authorised_person} yetkili "
            "kılınmıştır."
        ),
        "body_en": (
            "By signing the SMS contract on {date}, {authorised_person} is authorised to send bulk SMS for the "
            "headman office of {institution} using the system of {reseller} over {operator} lines."
        ),
    },
    {
        "code": "D",
        "name": "Üniversite ve okul yetki yazısı",
        "name_en": "Authorisation letter for universities and schools",
        "body": (
            "{institution} olarak; {reseller} firmasının sistemi kullanılarak {operator} hatları üzerinden Toplu SMS "
            "gönderimi yapılmasına Dekanımız veya Bölüm başkanımız {authorised_person} yetkili kılınmıştır."
        ),
        "body_en": (
            "As {institution}, our dean or head of department {authorised_person} is authorised to send bulk SMS "
            "using the system of {reseller} over {operator} lines."
        ),
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
