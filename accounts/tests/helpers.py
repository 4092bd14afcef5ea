"""Shared by the accounts tests: the registration form as a browser posts it, and links read back from e-mails."""

import re

REGISTRATION = {
    "email": "mehmet@ornek-kurum.test",
    "full_name": "Mehmet Öztürk",
    "mobile": "0532 123 45 67",
    "password1": "Guclu-Parola-2026",
    "password2": "Guclu-Parola-2026",
}


def registration(**overrides) -> dict:
    return {**REGISTRATION, **overrides}


def link_path(body: str, prefix: str) -> str:
    """The path of the first absolute link in `body` whose path starts with `prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s\"<]*)", body)
    assert match, f"no {prefix} link in:\n{body}"
    return match.group(1)
