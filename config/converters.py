"""Path converters: a URL part that cannot be an identifier never reaches a view (it is a 404 at routing)."""

from django.urls import register_converter

from onboarding.models import REFERENCE_ALPHABET


class ReferenceConverter:
    """An application reference as new_reference() makes them ("TS-7K3M-9QXA"), and nothing else."""

    regex = f"TS-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, when the first URLconf importing this module loads: `<reference:reference>`.
register_converter(ReferenceConverter, "reference")
