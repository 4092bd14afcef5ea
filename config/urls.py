from django.contrib import admin
from django.urls import include, path

from onboarding import views as onboarding_views
from support import views as support_views

urlpatterns = [
    path("", onboarding_views.home, name="home"),
    path("healthz", onboarding_views.healthz, name="healthz"),
    path("favicon.ico", support_views.favicon, name="favicon"),
    path("yardim/", include("support.urls")),
    path("kvkk/", include("privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hesap/bildirimler/", include("reminders.urls")),
    path("hesap/", include("accounts.urls")),
    path("basvuru/", include("onboarding.urls")),
    path("belgeler/", include("documents.urls")),
    path("musteri/", include("billing.urls")),
    path("finans/", include("finance.urls")),
    path("admin/", admin.site.urls),
]
