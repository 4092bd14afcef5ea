"""The KVKK texts the portal starts with (loaded by migration 0001); staff add later versions in the admin.

`{veri_sorumlusu}` and `{operator}` are replaced with the names in the settings when the text is shown.
"""

from datetime import date

NOTICE_2026_11 = {
    "kind": "notice",
    "version": "2026-11-v1",
    "effective_from": date(2026, 11, 1),
    "title": "6698 sayılı Kişisel Verilerin Korunması Kanunu kapsamında aydınlatma metni",
    "title_en": "Privacy notice under the Turkish Personal Data Protection Law No. 6698",
    "body": (
        "Veri sorumlusu {veri_sorumlusu}, bu başvuruda verdiğiniz kimlik, iletişim ve kurum bilgilerini ve "
        "yüklediğiniz belgeleri; toplu SMS hesabının açılması, sözleşmenin kurulması ve ifası, {operator} tarafından "
        "istenen abonelik kayıtlarının tutulması ve yasal yükümlülüklerin yerine getirilmesi amaçlarıyla işler.\n\n"
        "Verileriniz yalnızca hesabın açılması için {operator}'a ve yasal olarak yetkili kamu kurumlarına aktarılır; "
        "sözleşmenin kurulması ve hukuki yükümlülük hukuki sebeplerine dayanılarak işlenir ve mevzuatın öngördüğü "
        "süre boyunca saklanır.\n\n"
        "KVKK'nın 11. maddesindeki haklarınızı (bilgi talep etme, düzeltme, silme, itiraz vb.) kullanmak için "
        "bizimle yazılı olarak iletişime geçebilirsiniz."
    ),
    "body_en": "",
}

NOTICE_2026_12 = {
    "kind": "notice",
    "version": "2026-12-v1",
    "effective_from": date(2026, 12, 1),
    "title": "6698 sayılı Kişisel Verilerin Korunması Kanunu kapsamında aydınlatma metni",
    "title_en": "Privacy notice under the Turkish Personal Data Protection Law No. 6698 (KVKK)",
    "body": (
        "Veri sorumlusu: {veri_sorumlusu}. İletişim bilgilerimiz her sayfanın altında yer alır.\n\n"
        "Hangi verileri işliyoruz: kayıtta verdiğiniz ad soyad, e-posta ve cep telefonu; başvuruda verdiğiniz kurum, "
        "yetkili ve iletişim bilgileri; yüklediğiniz ve kargoyla gönderdiğiniz belgelerdeki kimlik bilgileri ve "
        "imzalar; portalı kullanırken oluşan kayıtlar (giriş zamanları, IP adresi).\n\n"
        "Amaç ve hukuki sebep: bu veriler kurumsal toplu SMS hesabının açılması, sözleşmenin kurulması ve ifası, "
        "{operator} tarafından istenen abonelik kayıtlarının tutulması, faturalandırma ve yasal yükümlülüklerin "
        "yerine getirilmesi için işlenir (KVKK m. 5/2-c ve 5/2-ç). Bu işleme için açık rızanız gerekmez ve "
        "istenmez; başvurunuz hiçbir izne bağlı değildir.\n\n"
        "Kimlere aktarılır: hatların ve başlıkların açılması için {operator}'a; talep hâlinde yetkili kamu kurum ve "
        "kuruluşlarına (ör. Bilgi Teknolojileri ve İletişim Kurumu, vergi daireleri). Verileriniz yurt dışına "
        "aktarılmaz.\n\n"
        "Toplama yöntemi: bu portaldaki formlar ve yüklemeler ile kargoyla gönderdiğiniz asıl evrak. Kimlik "
        "fotokopilerinde din hanesi veya kan grubu gibi gerekmeyen bilgiler varsa göndermeden önce kapatın.\n\n"
        "Saklama: sözleşme süresince ve ilgili mevzuatın öngördüğü süreler boyunca; sonra silinir, yok edilir veya "
        "anonim hâle getirilir.\n\n"
        "Haklarınız: KVKK m. 11 uyarınca verilerinizin işlenip işlenmediğini öğrenme, bilgi isteme, düzeltme, silme, "
        "aktarıldığı kişileri öğrenme, itiraz ve zararın giderilmesini isteme haklarınız vardır. Başvurunuzu "
        "sayfanın altındaki “KVKK başvurusu” formuyla, KEP ile veya yazılı olarak iletebilirsiniz; en geç 30 gün "
        "içinde yanıtlarız."
    ),
    "body_en": (
        "Data controller: {veri_sorumlusu}. Our contact details are at the bottom of every page.\n\n"
        "What we process: the name, e-mail address and mobile number you give when registering; the institution, "
        "signatory and contact details of your application; the identity details and signatures in the documents "
        "you upload and send by cargo; records made while you use the portal (login times, IP address).\n\n"
        "Purpose and legal basis: this data is processed to open the corporate bulk SMS account, to conclude and "
        "perform the contract, to keep the subscription records {operator} requires, for invoicing and to meet legal "
        "obligations (KVKK art. 5/2-c and 5/2-ç). This processing needs no consent and none is asked for; your "
        "application does not depend on any permission.\n\n"
        "Who receives it: {operator}, to open the lines and sender IDs; competent public authorities on request "
        "(e.g. the Information and Communication Technologies Authority, tax offices). Your data is not transferred "
        "abroad.\n\n"
        "How it is collected: the forms and uploads of this portal and the originals you send by cargo. Cover "
        "details an ID copy need not show (such as religion or blood group) before sending it.\n\n"
        "Retention: for the term of the contract and the periods the law requires; then it is erased, destroyed "
        "or anonymised.\n\n"
        "Your rights: under KVKK art. 11 you may learn whether your data is processed, ask for information, "
        "correction or erasure, learn who received it, object, and claim compensation. Send your request with the "
        "“KVKK request” form at the bottom of the page, by KEP or in writing; we answer within 30 days."
    ),
}

MARKETING_EMAIL_2026_12 = {
    "kind": "marketing_email",
    "version": "2026-12-v1",
    "effective_from": date(2026, 12, 1),
    "title": "Duyuru ve kampanya e-postaları için açık rıza",
    "title_en": "Explicit consent to announcement and campaign e-mails",
    "body": (
        "{veri_sorumlusu}'nin yeni paketler, fiyat değişiklikleri ve kampanyalar hakkında e-posta adresime "
        "duyuru göndermesine izin veriyorum. İzin vermesem de başvurum ve hesabım aynı şekilde yürür; "
        "iznimi dilediğim zaman KVKK başvuru formuyla veya size yazarak geri alabilirim."
    ),
    "body_en": (
        "I allow {veri_sorumlusu} to e-mail me announcements of new packages, price changes and campaigns. My "
        "application and account work the same without it; I can withdraw it at any time with the KVKK request "
        "form or by writing to you."
    ),
}

TEXTS = [NOTICE_2026_11, NOTICE_2026_12, MARKETING_EMAIL_2026_12]
