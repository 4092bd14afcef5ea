from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("basvuru/", views.request_form, name="request"),
    path("basvuru/alindi/", views.request_done, name="request-done"),
]
