from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("", views.help_page, name="help"),
]
