from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from onboarding import views as onboarding_views

admin.site.site_header = _("Toplu SMS Başvuru Yönetimi")
admin.site.site_title = _("Toplu SMS Başvuru Yönetimi")
admin.site.index_title = _("Arka ofis")

urlpatterns = [
    path("", onboarding_views.home, name="home"),
    path("healthz", onboarding_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hesap/", include("accounts.urls")),
    path("basvuru/", include("onboarding.urls")),
    path("belgeler/", include("documents.urls")),
    path("admin/", admin.site.urls),
]
