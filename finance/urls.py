"""The finance area (group Finance): dashboard, lists, charts and exports. Built in finance/views.py."""

from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
