from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from documents import services
from documents.filecheck import FileRejected
from documents.models import DocumentFile
from onboarding.models import Requirement
from onboarding.services import ApplicationError, checklist, get_application_for_user


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
    if application.status == "draft":
        return reverse("onboarding:application-step", args=[application.reference, "belgeler"])
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


@login_required
@require_safe
@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})  # the review page frames PDFs
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored bytes with the detected type, never sniffed, never cached; inline unless ?indir=1."""
    document_file = get_document_file_for_user(request.user, pk)
    response = FileResponse(
        document_file.file.open("rb"),
        content_type=document_file.content_type,
        as_attachment=request.GET.get("indir") == "1",
        filename=document_file.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
