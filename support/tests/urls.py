"""The portal's URLs and one that fails, to see the 500 page as a visitor would."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [*portal_urlpatterns, path("hata-deneme/", fail)]
