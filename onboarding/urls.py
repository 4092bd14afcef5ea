from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.application_start, name="application-start"),
    path("yeni/", views.application_new, name="application-new"),
    path("baslik-kontrol/", views.sender_id_check, name="sender-id-check"),
    path("<str:reference>/", views.application_status, name="application-status"),
    path("<str:reference>/yetki-yazisi.pdf", views.letter_pdf, name="application-letter"),
    path("<str:reference>/kapak-sayfasi.pdf", views.cover_sheet_pdf, name="application-cover-sheet"),
    path("<str:reference>/yeniden-gonder/", views.application_resubmit, name="application-resubmit"),
    path("<str:reference>/kargo/", views.application_cargo, name="application-cargo"),
    path("<str:reference>/<slug:slug>/", views.application_step, name="application-step"),
]
