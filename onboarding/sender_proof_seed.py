"""What a sender ID may stand for, and the proof each brings into the checklist (loaded by migration 0009).

Beyond the guide: the operator registers a sender ID only when it is the institution's name, a registered
trademark, or its phone number or web address, and asks for proof accordingly — the trade registry gazette for a
company's name, the institution's official letter for a public body's, the trademark certificate for a brand, and
the brand owner's permission for a dealer using the brand. Staff edit all of it afterwards in the admin.
"""

# Institution types whose name is proven by the trade registry gazette; every other type writes an official letter.
REGISTERED_COMPANY_TYPES = ["sole_proprietorship", "company"]

DOCUMENT_KINDS = [
    ("trade_registry_gazette", "Ticaret sicili gazetesi", "Trade registry gazette"),
    ("sender_official_letter", "SMS başlığı için resmi yazı", "Official letter about the sender ID"),
    ("trademark_certificate", "Marka tescil belgesi", "Trademark registration certificate"),
    ("brand_permission", "Marka sahibinin izin yazısı", "Brand owner's permission"),
]

# Not asked as questions: a condition is answered "yes" when a sender ID is given this basis (the sender step).
CONDITIONS = [
    {
        "code": "sender_id_is_name",
        "question": "SMS başlıklarından biri kurumun adı veya kısaltması mı?",
        "question_en": "Is one of the sender IDs the institution's name or its abbreviation?",
    },
    {
        "code": "sender_id_is_trademark",
        "question": "SMS başlıklarından biri kurumun tescilli markası mı?",
        "question_en": "Is one of the sender IDs a trademark registered to the institution?",
    },
    {
        "code": "sender_id_is_dealer_brand",
        "question": "SMS başlıklarından biri bayisi olunan bir markanın adı mı?",
        "question_en": "Is one of the sender IDs the brand of a company the institution is a dealer of?",
    },
]

BASES = [
    {
        "code": "institution_name",
        "name": "Kurumumuzun adı veya kısaltması",
        "name_en": "Our institution's name or its abbreviation",
        "help_text": "Unvanınız ya da tanınan kısaltması (ör. Şişli Belediyesi için SISLIBLD).",
        "help_text_en": "Your legal name or its well-known abbreviation (e.g. SISLIBLD for Şişli Municipality).",
        "condition": "sender_id_is_name",
    },
    {
        "code": "trademark",
        "name": "Kurumumuza ait tescilli bir marka",
        "name_en": "A trademark registered to our institution",
        "help_text": "TÜRKPATENT'te kurumunuz adına tescilli bir marka.",
        "help_text_en": "A trademark registered to your institution at TÜRKPATENT.",
        "condition": "sender_id_is_trademark",
    },
    {
        "code": "dealer_brand",
        "name": "Bayisi olduğumuz bir markanın adı",
        "name_en": "The brand of a company we are a dealer of",
        "help_text": "Markayı kullanmanıza marka sahibinin yazılı izin vermesi gerekir.",
        "help_text_en": "The brand owner must permit you in writing to use the brand.",
        "condition": "sender_id_is_dealer_brand",
    },
    {
        "code": "phone_or_web",
        "name": "Kurumumuzun telefon numarası veya web adresi",
        "name_en": "Our institution's phone number or web address",
        "help_text": "Numaranın veya alan adının kurumunuza ait olduğunu inceleme ekibimiz kontrol eder.",
        "help_text_en": "Our review team checks that the number or domain belongs to your institution.",
        "condition": None,
    },
]

# (condition, document kind, Turkish label, English label, Turkish note, English note) — for company types, then the
# others, then every type.
_GAZETTE = (
    "sender_id_is_name",
    "trade_registry_gazette",
    "Ticaret Sicili Gazetesi (SMS başlığındaki ad için)",
    "Trade registry gazette (for the name in the sender ID)",
    "Unvanınızın ilan edildiği Türkiye Ticaret Sicili Gazetesi sayfası (ticaretsicil.gov.tr'den alınır).",
    "The Turkish Trade Registry Gazette page announcing your name (from ticaretsicil.gov.tr).",
)
_OFFICIAL_LETTER = (
    "sender_id_is_name",
    "sender_official_letter",
    "SMS başlığı için kurumun resmi yazısı",
    "The institution's official letter about the sender ID",
    "Antetli kağıda, SMS başlığının kurumunuzun adı veya kısaltması olduğunu belirten, imzalı ve mühürlü yazı.",
    "A signed and stamped letter on your letterhead stating that the sender ID is your institution's name.",
)
_TRADEMARK = (
    "sender_id_is_trademark",
    "trademark_certificate",
    "Marka Tescil Belgesi (SMS başlığı için)",
    "Trademark registration certificate (for the sender ID)",
    "TÜRKPATENT'in kurumunuz adına düzenlediği marka tescil belgesi.",
    "The trademark registration certificate TÜRKPATENT issued to your institution.",
)
_PERMISSION = (
    "sender_id_is_dealer_brand",
    "brand_permission",
    "Marka Sahibinin İzin Yazısı (SMS başlığı için)",
    "Brand owner's permission (for the sender ID)",
    "Marka sahibinin, markasını SMS başlığı olarak kullanmanıza izin verdiği imzalı yazı.",
    "The brand owner's signed letter permitting you to use its brand as your sender ID.",
)


def requirements_for(type_code: str) -> list[tuple]:
    name_proof = _GAZETTE if type_code in REGISTERED_COMPANY_TYPES else _OFFICIAL_LETTER
    return [name_proof, _TRADEMARK, _PERMISSION]
