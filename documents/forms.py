"""The reviewers' forms for documents (validation only; documents.services and onboarding.workflow write)."""

from django import forms

from documents.models import RejectionReason


class RejectDocumentForm(forms.Form):
    """A rejection posted from the application page: a reason from the catalogue, the reviewer's note, or both.

    Both are optional here; the service refuses a rejection with neither, in the reviewer's words.
    """

    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.filter(is_active=True), required=False)
    note = forms.CharField(max_length=1000, required=False)
