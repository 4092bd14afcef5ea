import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from documents import services
from documents.filecheck import FileRejected
from documents.models import DocumentFile
from onboarding import wizard
from onboarding.models import Application, Requirement
from onboarding.services import ApplicationError, checklist, get_application_for_user

logger = logging.getLogger(__name__)


def get_document_file_for_user(user, pk: int) -> DocumentFile:
    """A stored file its owner, or staff allowed to review documents, may see; anyone else gets a 404."""
    document_file = get_object_or_404(DocumentFile.objects.select_related("document__application"), pk=pk)
    if document_file.document.application.applicant_id == user.id:
        return document_file
    if user.is_staff and user.has_perm("documents.view_document"):
        return document_file
    raise Http404


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _back_to_checklist(application) -> str:
    """The page the item lives on: the wizard's documents step before submission, the status page after."""
    if application.status == Application.Status.DRAFT:
        return reverse("onboarding:application-step", args=[application.reference, wizard.slug("documents")])
    return reverse("onboarding:application-status", args=[application.reference])


@login_required
@require_POST
def file_upload(request: HttpRequest, reference: str, requirement_id: int) -> HttpResponse:
    """Add one or more files to a checklist item; answers JSON (with the item re-rendered) to the page's script."""
    application = get_application_for_user(request.user, reference)
    requirement = get_object_or_404(
        Requirement, pk=requirement_id, institution_type_id=application.institution_type_id
    )
    uploads = request.FILES.getlist("files")
    errors: list[str] = []
    added = 0
    if not uploads:
        errors.append(_("Lütfen yüklenecek bir dosya seçin."))
    for uploaded in uploads:
        try:
            services.add_document_file(application, requirement, uploaded=uploaded, actor=request.user)
            added += 1
        except FileRejected as rejection:
            errors.append(_("%(name)s: %(reason)s") % {"name": uploaded.name[:80], "reason": rejection.message})
        except ApplicationError as error:
            errors.append(str(error.message))
            break

    if _wants_json(request):
        item = next((i for i in checklist(application) if i.requirement.id == requirement.id), None)
        html = render_to_string(
            "documents/_checklist_item.html", {"item": item, "application": application}, request=request
        )
        message = _("%(count)s dosya yüklendi.") % {"count": added} if added else ""
        return JsonResponse(
            {"added": added, "errors": errors, "message": message, "html": html}, status=200 if added else 400
        )
    for error in errors:
        messages.error(request, error)
    if added:
        messages.success(request, _("%(count)s dosya yüklendi.") % {"count": added})
    return redirect(f"{_back_to_checklist(application)}#belge-{requirement.id}")


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document_file = get_document_file_for_user(request.user, pk)
    application = document_file.document.application
    if application.applicant_id != request.user.id:
        raise Http404
    requirement_id = document_file.document.requirement_id
    try:
        services.remove_document_file(document_file, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Dosya kaldırıldı."))
    application.refresh_from_db(fields=["status"])
    return redirect(f"{_back_to_checklist(application)}#belge-{requirement_id}")


# Every stored file is answered with a policy under which nothing in it can run in our origin: ``sandbox`` gives the
# document an opaque origin with scripts, forms and plugins off, ``default-src 'none'`` lets it load nothing.
# Chromium's PDF viewer still renders a PDF served so, framed or in its own tab (tried in Chromium 156; the browser
# review test checks it). Only a reviewer's preview may be framed, and only by our own pages.
_FILE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


def _may_preview(user) -> bool:
    """Reviewers look at files inline in the review page; everybody else, the owner included, downloads them."""
    return user.is_staff and user.has_perm("documents.view_document")


@login_required
@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored bytes with the detected type, never sniffed, never cached, sandboxed.

    A reviewer gets them inline (the review page frames PDFs and shows images) unless ?indir=1; an applicant always
    gets an attachment, so a file never renders as a page of ours.
    """
    document_file = get_document_file_for_user(request.user, pk)
    inline = _may_preview(request.user) and request.GET.get("indir") != "1"
    try:
        stored = document_file.file.open("rb")
        stored.read(0)  # reach the store now (S3 opens lazily), not halfway through the response
    except services.STORAGE_ERRORS as error:
        logger.error("file store unavailable, download of file %s refused: %r", pk, error)
        response = HttpResponse(
            _("Dosya şu anda açılamıyor: belge deposuna ulaşılamıyor. Lütfen birkaç dakika sonra yeniden deneyin."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    response = FileResponse(
        stored,
        content_type=document_file.content_type,
        as_attachment=not inline,
        filename=document_file.original_name,
    )
    frame_ancestors = "'self'" if inline else "'none'"
    response["Content-Security-Policy"] = f"{_FILE_CSP}; frame-ancestors {frame_ancestors}"
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
