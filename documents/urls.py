from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<str:reference>/<int:requirement_id>/yukle/", views.file_upload, name="file-upload"),
    path("dosya/<int:pk>/", views.file_download, name="file-download"),
    path("dosya/<int:pk>/sil/", views.file_remove, name="file-remove"),
]
