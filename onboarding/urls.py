from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.application_start, name="application-start"),
    path("yeni/", views.application_new, name="application-new"),
    path("baslik-kontrol/", views.sender_id_check, name="sender-id-check"),
    path("<str:reference>/", views.application_status, name="application-status"),
    path("<str:reference>/yetki-yazisi.pdf", views.letter_pdf, name="application-letter"),
    path("<str:reference>/<slug:slug>/", views.application_step, name="application-step"),
]
