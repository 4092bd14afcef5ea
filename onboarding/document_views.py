"""Downloads of the documents the portal produces for an applicant: the letter as .docx, the SMS contract as PDF.

(The letter's PDF and the cover sheet live in onboarding.views.) Each is the applicant's own: anyone else's is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from onboarding import contracts, services
from onboarding.pdf import pdf_response


@login_required
@require_safe
def letter_docx(request: HttpRequest, reference: str) -> HttpResponse:
    """The institution type's letter as an editable Word file, filled exactly as the PDF."""
    from onboarding.wordfile import DOCX_CONTENT_TYPE
    from onboarding.wordfile import letter_docx as build_docx

    application = services.get_application_for_user(request.user, reference)
    letter = application.institution_type.letter_template if application.institution_type else None
    if letter is None:
        raise Http404
    content = build_docx(letter, values=application.letter_values, institution_name=application.legal_name)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="yetki-yazisi-{application.reference}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def contract_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The end-user SMS contract, filled with the application's details; the version handed out is recorded."""
    from onboarding.pdf import contract_pdf as render_contract

    application = services.get_application_for_user(request.user, reference)
    if application.institution_type_id is None:
        raise Http404
    contract = contracts.contract_for(application)
    if contract is None:
        raise Http404
    pdf = render_contract(
        contract,
        values=contracts.contract_values(application),
        reference=application.reference,
        language=get_language() or "tr",
    )
    return pdf_response(pdf, f"sms-sozlesmesi-{application.reference}.pdf")
