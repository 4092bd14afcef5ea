from django.urls import path

import config.converters  # noqa: F401  (registers <reference:…>)
from onboarding import document_views, views

app_name = "onboarding"

urlpatterns = [
    path("", views.application_start, name="application-start"),
    path("yeni/", views.application_new, name="application-new"),
    path("baslik-kontrol/", views.sender_id_check, name="sender-id-check"),
    path("sms-parca/", views.sms_parts, name="sms-parts"),
    path("<reference:reference>/", views.application_status, name="application-status"),
    path("<reference:reference>/yetki-yazisi.pdf", views.letter_pdf, name="application-letter"),
    path("<reference:reference>/yetki-yazisi.docx", document_views.letter_docx, name="application-letter-docx"),
    path("<reference:reference>/sms-sozlesmesi.pdf", document_views.contract_pdf, name="application-contract"),
    path("<reference:reference>/kapak-sayfasi.pdf", views.cover_sheet_pdf, name="application-cover-sheet"),
    path("<reference:reference>/yeniden-gonder/", views.application_resubmit, name="application-resubmit"),
    path("<reference:reference>/kargo/", views.application_cargo, name="application-cargo"),
    path("<reference:reference>/sil/", views.application_delete, name="application-delete"),
    path("<reference:reference>/geri-cek/", views.application_withdraw, name="application-withdraw"),
    path("<reference:reference>/hat-numarasi/", views.application_corporate_line, name="application-corporate-line"),
    path("<reference:reference>/<slug:slug>/", views.application_step, name="application-step"),
]
