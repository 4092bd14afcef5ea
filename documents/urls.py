from django.urls import path

import config.converters  # noqa: F401  (registers <reference:…>)
from documents import views

app_name = "documents"

urlpatterns = [
    path("<reference:reference>/<int:requirement_id>/yukle/", views.file_upload, name="file-upload"),
    path("dosya/<int:pk>/", views.file_download, name="file-download"),
    path("dosya/<int:pk>/sil/", views.file_remove, name="file-remove"),
]
