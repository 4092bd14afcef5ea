"""The customer's billing pages under /musteri/: each part's patterns live beside its views."""

import config.converters  # noqa: F401  (registers <reference:…>)
from billing import customer_views, statement_views

app_name = "billing"

urlpatterns = [*customer_views.urlpatterns, *statement_views.urlpatterns]
