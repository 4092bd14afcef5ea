"""The customer's statements: list and PDF download (their own only)."""

urlpatterns: list = []
