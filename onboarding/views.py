from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from billing import estimates
from billing.forms import EstimateForm
from billing.models import Plan
from documents.models import DocumentStatus
from onboarding import catalogue, due, forms, identifiers, page_cache, services, wizard, workflow
from onboarding.models import Application, Condition
from onboarding.pdf import pdf_response
from onboarding.turkish import format_phone, line_operator_warning
from privacy import services as privacy_services
from privacy.models import PrivacyText


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the service is, the guide's three steps, and the way in; package prices net, with each tax and total."""
    rates = catalogue.rates_today()
    return render(
        request,
        "onboarding/home.html",
        {
            "catalogue_version": catalogue.version(),
            "institution_types": catalogue.institution_types(),
            "billing_types": catalogue.billing_types(),
            "packages": catalogue.priced_packages(rates),
            "rates": rates,
        },
    )


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- What is due, and by when (the status page and the wizard) ----------------------------------------------------

# What to do for each kind of item, beside its heading (due.KIND_LABELS), and the link's words.
DUE_ADVICE = {
    due.CONFIRM_EMAIL: _("Size gönderdiğimiz e-postadaki bağlantıya tıklayın. E-posta gelmediyse yenisini isteyin."),
    due.DRAFT: _("Eksik belgeleri yükleyin ve başvurunuzu son adımda gönderin."),
    due.REJECTED: _("Gerekçeyi okuyun, düzeltilmiş belgeyi yükleyin ve başvurunuzu yeniden gönderin."),
    due.CORPORATE_LINE: _("Kurumsal hattınızı edindiğinizde numarasını girin."),
    due.CARGO: _("İmzalı asılları kapak sayfasıyla birlikte kargoya verin ve takip numarasını girin."),
    due.ORIGINALS: _("Kargonun durumunu takip numarasıyla kontrol edin; zarf kaybolduysa bize yazın."),
}
DUE_ACTIONS = {
    due.CONFIRM_EMAIL: _("Doğrulama e-postasını yeniden iste"),
    due.DRAFT: _("Belgelere git"),
    due.REJECTED: _("Belgeyi yükle"),
    due.CORPORATE_LINE: _("Hat numarasını gir"),
    due.CARGO: _("Kargo bilgisini gir"),
    due.ORIGINALS: _("Asıl evrakın durumu"),
}


def _due_url(application: Application, item: due.DueItem) -> str:
    """Where to do it: the wizard while a draft, the status page's section after submission (the e-mails' anchors)."""
    if item.kind == due.CONFIRM_EMAIL:
        return reverse("accounts:resend-confirmation")
    if application.is_editable:
        return _step_url(application, "line" if item.kind == due.CORPORATE_LINE else "documents")
    anchor = {
        due.REJECTED: f"belge-{item.requirements[0].pk}" if item.requirements else "",
        due.CORPORATE_LINE: "kurumsal-hat",
        due.CARGO: "kargo",
        due.ORIGINALS: "asil-evrak",
    }.get(item.kind, "")
    return reverse("onboarding:application-status", args=[application.reference]) + (f"#{anchor}" if anchor else "")


def _due_context(
    request: HttpRequest, application: Application, *, checklist: list | None = None, events: list | None = None
) -> dict:
    """The application's open items as its pages list them, and when we last reminded the applicant of them.

    A constant number of queries (onboarding.due reads the checklist and documents of the application at once).
    """
    from reminders.services import last_reminded_at

    now = timezone.now()
    # The page's reader is the applicant: their row is already loaded.
    application.applicant = request.user
    rows = [
        {
            **due.presented(item, now),
            "advice": DUE_ADVICE.get(item.kind, ""),
            "action": DUE_ACTIONS.get(item.kind, ""),
            "url": _due_url(application, item),
        }
        for item in due.items_for_application(application, now=now, checklist=checklist, events=events)
    ]
    return {
        "due_items": rows,
        "past_due_count": sum(1 for row in rows if row["is_past_due"]),
        "last_reminded_at": last_reminded_at(application),
    }


# --- The wizard -------------------------------------------------------------------------------------------------

# Derived from onboarding.wizard, the steps' one definition.
STEP_SLUGS = {step.name: step.slug for step in wizard.STEPS}
STEP_BY_SLUG = {step.slug: step.name for step in wizard.STEPS}
STEP_TITLES = {step.name: step.title for step in wizard.STEPS}


def _step_url(application: Application, step: str) -> str:
    return reverse("onboarding:application-step", args=[application.reference, STEP_SLUGS[step]])


def _first_open_step(application: Application) -> str:
    return next((step for step in services.STEPS if step not in application.completed_steps), "review")


def _reachable(application: Application, step: str) -> bool:
    """A step is open once every step before it is complete (documents need only a chosen type)."""
    index = services.STEPS.index(step)
    return all(s in application.completed_steps for s in services.STEPS[:index] if s != "documents")


def _progress(application: Application, current: str, documents_complete: bool) -> list[dict]:
    rows = []
    for number, step in enumerate(services.STEPS, start=1):
        complete = step in application.completed_steps or (step == "documents" and documents_complete)
        rows.append(
            {
                "number": number,
                "title": STEP_TITLES[step],
                "url": _step_url(application, step),
                "is_current": step == current,
                "is_complete": complete,
                "is_reachable": _reachable(application, step),
            }
        )
    return rows


@login_required
@require_safe
def application_start(request: HttpRequest) -> HttpResponse:
    """The applicant's applications with their states (where login lands); with none yet, a new draft straight away
    (unless they just deleted their last one: ``?liste``). Staff land where they work: finance in the finance area,
    reviewers and superusers in the admin."""
    if request.user.is_staff:
        if request.user.has_perm("billing.view_billingaccount") and not request.user.is_superuser:
            return redirect("finance:dashboard")
        return redirect("admin:index")
    applications = list(
        Application.objects.filter(applicant=request.user).select_related("institution_type").order_by("-created_at")
    )
    if not applications and "liste" not in request.GET:
        application = services.start_application(request.user)
        return redirect(_step_url(application, "type"))
    return render(request, "onboarding/application_list.html", {"applications": applications})


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request: HttpRequest, reference: str) -> HttpResponse:
    """Delete a draft, after a confirmation page (GET asks, POST deletes)."""
    application = services.get_application_for_user(request.user, reference)
    if not application.is_editable:
        messages.info(request, _("Gönderilmiş bir başvuru silinemez; geri çekebilirsiniz."))
        return redirect("onboarding:application-status", reference=application.reference)
    if request.method == "POST":
        try:
            workflow.delete_draft(application, actor=request.user)
        except services.ApplicationError as error:
            messages.error(request, error.message)
            return redirect("onboarding:application-status", reference=application.reference)
        messages.success(request, _("%(reference)s numaralı taslak silindi.") % {"reference": application.reference})
        return redirect(reverse("onboarding:application-start") + "?liste=1")
    return render(request, "onboarding/confirm_delete.html", {"application": application})


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdraw a submitted application, after a confirmation page with an optional reason staff read."""
    application = services.get_application_for_user(request.user, reference)
    if application.status not in services.APPLICANT_WITHDRAWABLE:
        messages.info(request, _("Bu başvuru bu aşamada geri çekilemez; bizimle iletişime geçin."))
        return redirect("onboarding:application-status", reference=application.reference)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_by_applicant(application, actor=request.user, reason=form.cleaned_data["reason"])
        except services.ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Başvurunuz geri çekildi."))
        return redirect("onboarding:application-status", reference=application.reference)
    return render(request, "onboarding/confirm_withdraw.html", {"application": application, "form": form})


@login_required
@require_POST
def application_new(request: HttpRequest) -> HttpResponse:
    application = services.start_application(request.user)
    return redirect(_step_url(application, "type"))


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """One step of the wizard: show it, or validate and save it through its service and go on."""
    application = services.get_application_for_user(request.user, reference)
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    if not application.is_editable:
        return redirect("onboarding:application-status", reference=application.reference)
    if not _reachable(application, step):
        return redirect(_step_url(application, _first_open_step(application)))

    handler = STEP_HANDLERS[step]
    context = {}
    if request.method == "POST":
        try:
            result = handler(request, application, context)
        except services.ApplicationError as error:
            messages.error(request, error.message)
            return redirect(_step_url(application, step))
        if result is not None:
            return result
        # A form with errors: its content is this request's own.
        body, status = _step_content(request, application, step, context, None)
    else:
        # A step shown: its content holds while the application and the catalogue do (onboarding.page_cache).
        def render_content(csrf_placeholder):
            handler(request, application, context)
            html = _step_content(request, application, step, context, csrf_placeholder)[0]
            return html, [row["deadline"] for row in context["due_items"]]

        body, status = page_cache.content(f"step:{step}", request, application, render_content), 200
    return render(
        request,
        "onboarding/wizard_page.html",
        {"application": application, "step": step, "step_title": STEP_TITLES[step], "body": body},
        status=status,
    )


def _step_content(request, application, step: str, context: dict, csrf_placeholder: str | None):
    """A step's content (onboarding/wizard_base.html with the step's block) and its HTTP status."""
    items = context.get("items")
    if items is None:
        items = services.checklist(application)
    documents_complete = application.institution_type_id is not None and all(
        item.has_files for item in items if item.is_required
    )
    context |= {
        "application": application,
        "csrf_placeholder": csrf_placeholder,
        "step": step,
        "step_title": STEP_TITLES[step],
        "progress": _progress(application, step, documents_complete),
        "previous_url": _step_url(application, services.STEPS[services.STEPS.index(step) - 1])
        if step != "type"
        else None,
        **_due_context(request, application, checklist=items),
    }
    status = context.pop("status", 200)
    return mark_safe(render_to_string(f"onboarding/step_{step}.html", context, request=request)), status  # noqa: S308


def _next(application: Application, step: str) -> HttpResponse:
    following = services.STEPS[services.STEPS.index(step) + 1]
    return redirect(_step_url(application, following))


def _step_type(request, application, context):
    if request.method == "POST":
        form = forms.InstitutionTypeForm(request.POST)
        if form.is_valid():
            application = workflow.choose_institution_type(
                application, institution_type=form.cleaned_data["institution_type"]
            )
            return _next(application, "type")
    else:
        form = forms.InstitutionTypeForm(initial={"institution_type": application.institution_type_id})
    context["form"] = form
    context["institution_types"] = list(form.fields["institution_type"].queryset)
    return None


def _conditions(application: Application) -> list[Condition]:
    # The questions the details step asks; what the sender IDs stand for answers the others (the sender step).
    return list(
        Condition.objects.filter(requirements__institution_type_id=application.institution_type_id, sender_bases=None)
        .distinct()
        .order_by("code")
    )


def _step_details(request, application, context):
    conditions = _conditions(application)
    if request.method == "POST":
        form = forms.InstitutionDetailsForm(request.POST, application=application, conditions=conditions)
        if form.is_valid():
            application = services.save_institution_details(application, details=form.details())
            return _next(application, "details")
    else:
        form = forms.InstitutionDetailsForm(
            initial=forms.InstitutionDetailsForm.initial_for(application),
            application=application,
            conditions=conditions,
        )
    context["form"] = form
    return None


def _step_billing(request, application, context):
    estimating = request.method == "POST" and "estimate" in request.POST
    if request.method == "POST":
        form = forms.BillingForm(request.POST)
        if form.is_valid():
            application = services.choose_billing(
                application,
                billing_type=form.cleaned_data["billing_type"],
                credit_package=form.cleaned_data["credit_package"],
                expected_monthly_messages=form.cleaned_data["expected_monthly_messages"],
                e_invoice_user=form.cleaned_data["e_invoice_user"],
            )
            if not estimating:
                return _next(application, "billing")
        # "Hesapla" without script: the page again, with the sample message still in its box and the estimate of
        # what was typed (the sample is not stored, so a redirect would lose it).
        messages_a_month = form.cleaned_data.get("expected_monthly_messages")
        sample = form.cleaned_data.get("sample_message", "")
    else:
        initial = {
            "billing_type": application.billing_type.code if application.billing_type else None,
            "credit_package": application.credit_package_id,
            "expected_monthly_messages": application.expected_monthly_messages,
        }
        if application.e_invoice_user is not None:
            initial["e_invoice_user"] = "yes" if application.e_invoice_user else "no"
        form = forms.BillingForm(initial=initial)
        messages_a_month, sample = application.expected_monthly_messages, ""
    rates = catalogue.rates_today()
    packages = catalogue.priced_packages(rates)
    context["form"] = form
    context["billing_types"] = catalogue.billing_types()
    context["packages"] = packages
    context["billing_estimate"] = estimates.billing_estimate(
        messages_a_month,
        sample,
        packages=packages,
        tiers=catalogue.tariff_tiers_today(),
        rates=rates,
    )
    return None


def _step_line(request, application, context):
    if request.method == "POST":
        form = forms.CorporateLineForm(request.POST)
        if form.is_valid():
            application = services.save_corporate_line(
                application,
                has_corporate_line=form.cleaned_data["has_corporate_line"],
                number=form.cleaned_data.get("number", ""),
                plan=form.cleaned_data.get("plan", ""),
            )
            if warning := line_operator_warning(application.corporate_line_number):
                messages.warning(request, warning)
            return _next(application, "line")
    else:
        initial = {"number": format_phone(application.corporate_line_number), "plan": application.line_plan}
        if application.has_corporate_line is not None:
            initial["has_corporate_line"] = "yes" if application.has_corporate_line else "no"
        form = forms.CorporateLineForm(initial=initial)
    context["form"] = form
    return None


def _step_sender(request, application, context):
    if request.method == "POST":
        form = forms.SenderIdForm(request.POST)
        if form.is_valid():
            application = services.save_sender_ids(
                application,
                values=form.values(),
                bases=form.bases_by_value(),
                sends_commercial=form.cleaned_data["sends_commercial"],
            )
            return _next(application, "sender")
    else:
        initial = {}
        for index, (value, basis_id) in enumerate(application.sender_ids.values_list("value", "basis_id")):
            initial[f"sender_{index}"] = value
            initial[f"basis_{index}"] = basis_id
        if application.sends_commercial is not None:
            initial["sends_commercial"] = "yes" if application.sends_commercial else "no"
        form = forms.SenderIdForm(initial=initial)
    context["form"] = form
    return None


def _upload_chosen_files(request, application, items) -> tuple[int, bool]:
    """Upload every file the step's form posted (``files-<requirement id>``): a file chosen and never "Yükle"d is
    never dropped. Each refusal is kept on its item, to be shown under its field. Returns (files added, refused)."""
    from documents.filecheck import FileRejected
    from documents.services import add_document_file

    by_id = {item.requirement.pk: item for item in items}
    added, refused = 0, False
    for key in request.FILES:
        prefix, _dash, number = key.partition("-")
        item = by_id.get(int(number)) if prefix == "files" and number.isdigit() else None
        if item is None:
            continue
        for uploaded in request.FILES.getlist(key):
            try:
                add_document_file(application, item.requirement, uploaded=uploaded, actor=request.user)
                added += 1
            except FileRejected as rejection:
                item.upload_errors.append(
                    _("%(name)s: %(reason)s") % {"name": uploaded.name[:80], "reason": rejection.message}
                )
                refused = True
            except services.ApplicationError as error:
                item.upload_errors.append(str(error.message))
                refused = True
                break
    return added, refused


def _step_documents(request, application, context):
    if request.method == "POST":
        items = services.checklist(application)
        added, refused = _upload_chosen_files(request, application, items)
        upload = request.POST.get("upload", "")
        if not refused and upload.isdigit() and not added:
            for item in items:
                if item.requirement.pk == int(upload):
                    item.upload_errors.append(_("Lütfen yüklenecek bir dosya seçin."))
                    refused = True
        if not refused:
            if added:
                messages.success(request, _("%(count)s dosya yüklendi.") % {"count": added})
            if upload.isdigit():
                return redirect(f"{_step_url(application, 'documents')}#belge-{upload}")
            return _next(application, "documents")
        # Refused: the page again, each reason under its field (the files that were taken are on it).
        fresh = services.checklist(application)
        errors = {item.requirement.pk: item.upload_errors for item in items}
        for item in fresh:
            item.upload_errors = errors.get(item.requirement.pk, [])
        context["items"] = fresh
        context["upload_refused"] = True
        context["status"] = 400
    else:
        context["items"] = services.checklist(application)
    context["rules"] = list(application.institution_type.reviewer_rules.all()) if application.institution_type else []
    context["max_mb"] = settings.PORTAL_UPLOAD_MAX_BYTES // (1024 * 1024)
    return None


def _step_review(request, application, context):
    items = services.checklist(application)
    context["items"] = items
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        form.is_valid()
        try:
            application = services.submit_application(
                application,
                actor=request.user,
                notice_version=form.cleaned_data.get("notice_version") or None,
                marketing_email_consent=form.cleaned_data.get("marketing_email", False),
            )
        except services.ApplicationError as error:
            if not error.missing:
                # Already submitted (a second tab or a double click): show where it stands.
                messages.info(request, error.message)
                return redirect("onboarding:application-status", reference=application.reference)
            context["missing"] = error.missing
            context["form"] = form
            context["sender_ids"] = list(application.sender_ids.select_related("basis"))
            context |= _privacy_texts(form.cleaned_data.get("notice_version"))
            return None
        messages.success(request, _("Başvurunuz gönderildi. Sıradaki adım: asıl evrakı kargoyla göndermek."))
        return redirect("onboarding:application-status", reference=application.reference)
    texts = _privacy_texts(None)
    context["form"] = forms.ReviewForm(initial={"notice_version": texts["notice"].version if texts["notice"] else ""})
    context["missing"] = services.missing_for_submission(application, items)
    context["sender_ids"] = list(application.sender_ids.select_related("basis"))
    context |= _billing_amounts(application)
    context |= texts
    return None


def _privacy_texts(notice_version: str | None) -> dict:
    """The KVKK notice to show at submission (the version shown before, on a page shown again) and the optional
    consent's text, if one is in force."""
    return {
        "notice": privacy_services.text_shown(PrivacyText.Kind.NOTICE, notice_version),
        "marketing_text": PrivacyText.objects.in_force(PrivacyText.Kind.MARKETING_EMAIL),
    }


def _billing_amounts(application: Application) -> dict:
    """For the summary's billing line: the chosen package's price today, or the invoiced cost of the expected volume
    (one part a message: the sample message is not stored), each net and with its taxes."""
    if application.credit_package_id is not None:
        amounts = catalogue.package_amounts(application.credit_package_id)
        if amounts is not None:
            return {"package_amounts": amounts}
    elif (
        application.billing_type
        and application.billing_type.code == Plan.INVOICED
        and application.expected_monthly_messages
    ):
        result = estimates.billing_estimate(
            application.expected_monthly_messages,
            "",
            packages=[],
            tiers=catalogue.tariff_tiers_today(),
            rates=catalogue.rates_today(),
        )
        return {"invoiced_estimate": result}
    return {}


STEP_HANDLERS = {
    "type": _step_type,
    "details": _step_details,
    "billing": _step_billing,
    "line": _step_line,
    "sender": _step_sender,
    "documents": _step_documents,
    "review": _step_review,
}


def _render_status(
    request, application, *, cargo_form=None, line_form=None, missing=None, status=200
) -> HttpResponse:
    """The status page. Its content is served again while the application and the catalogue are unchanged
    (onboarding.page_cache), except when it shows a form's errors or what is missing (rendered for this request)."""

    def render_content(csrf_placeholder: str | None) -> tuple[str, list]:
        items = services.checklist(application)
        events = list(application.events.order_by("created_at"))
        due_context = _due_context(request, application, checklist=items, events=events)
        context = {
            "application": application,
            "csrf_placeholder": csrf_placeholder,
            "items": items,
            "rejected_count": sum(
                1 for item in items if item.document and item.document.status == DocumentStatus.REJECTED
            ),
            "cargo_open": application.status in services.CARGO_OPEN,
            "cargo_form": cargo_form
            or forms.CargoForm(
                initial={"company": application.cargo_company, "tracking_number": application.cargo_tracking_number}
            ),
            "cargo_companies": forms.CARGO_COMPANIES,
            # An applicant who was to get a corporate line gives its number here (and may correct it).
            "line_open": application.status in services.LINE_OPEN
            and (bool(application.line_plan) or application.has_corporate_line is False),
            "line_form": line_form
            or forms.CorporateLineNumberForm(initial={"number": format_phone(application.corporate_line_number)}),
            "missing": missing or [],
            "events": events,
            **due_context,
        }
        html = render_to_string("onboarding/_status_body.html", context, request=request)
        changes = [row["deadline"] for row in due_context["due_items"]] + [page_cache.arrival(application)]
        return html, changes

    if cargo_form is None and line_form is None and not missing:
        body = page_cache.content("status", request, application, render_content)
    else:
        body = mark_safe(render_content(None)[0])  # noqa: S308 - the template's own rendering
    return render(request, "onboarding/status.html", {"application": application, "body": body}, status=status)


@login_required
@require_safe
def application_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the application stands: reference, cargo address, next steps, each document's state and reason."""
    application = services.get_application_for_user(request.user, reference)
    if application.is_editable:
        return redirect(_step_url(application, _first_open_step(application)))
    return _render_status(request, application)


@login_required
@require_POST
def application_resubmit(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the application back to review once every rejected item has a new version."""
    application = services.get_application_for_user(request.user, reference)
    try:
        services.resubmit_application(application, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.message)
        return _render_status(request, application, missing=error.missing, status=400)
    messages.success(request, _("Başvurunuz yeniden incelemeye gönderildi."))
    return redirect("onboarding:application-status", reference=application.reference)


@login_required
@require_POST
def application_cargo(request: HttpRequest, reference: str) -> HttpResponse:
    """Record the cargo company and tracking number of the envelope with the originals."""
    application = services.get_application_for_user(request.user, reference)
    form = forms.CargoForm(request.POST)
    if not form.is_valid():
        return _render_status(request, application, cargo_form=form, status=400)
    try:
        services.record_cargo(
            application, company=form.cleaned_data["company"], tracking_number=form.cleaned_data["tracking_number"]
        )
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kargo bilgisi kaydedildi. Zarf ulaştığında belgelerinizi işaretleyeceğiz."))
    return redirect(reverse("onboarding:application-status", args=[application.reference]) + "#kargo")


@login_required
@require_POST
def application_corporate_line(request: HttpRequest, reference: str) -> HttpResponse:
    """The corporate line's number, given after submission by an applicant who was to get one."""
    application = services.get_application_for_user(request.user, reference)
    form = forms.CorporateLineNumberForm(request.POST)
    if not form.is_valid():
        return _render_status(request, application, line_form=form, status=400)
    try:
        application = services.record_corporate_line(application, number=form.cleaned_data["number"])
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kurumsal hat numaranız kaydedildi. Teşekkürler."))
        if warning := line_operator_warning(application.corporate_line_number):
            messages.warning(request, warning)
    return redirect(reverse("onboarding:application-status", args=[application.reference]) + "#kurumsal-hat")


@login_required
@require_safe
def cover_sheet_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The printable cover sheet for the envelope: address, reference as text and QR code, originals to tick."""
    from onboarding.pdf import cover_sheet_pdf as render_cover_sheet

    application = services.get_application_for_user(request.user, reference)
    if application.status not in services.CARGO_OPEN:
        raise Http404
    pdf = render_cover_sheet(application, items=services.checklist(application), language=get_language() or "tr")
    return pdf_response(pdf, f"kapak-sayfasi-{application.reference}.pdf")


@login_required
@require_safe
def letter_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The institution type's authorisation letter, blanks filled from the application, as a PDF."""
    from onboarding.pdf import letter_pdf as render_letter

    application = services.get_application_for_user(request.user, reference)
    letter = application.institution_type.letter_template if application.institution_type else None
    if letter is None:
        raise Http404
    pdf = render_letter(
        letter,
        values=application.letter_values,
        institution_name=application.legal_name,
        language=get_language() or "tr",
    )
    return pdf_response(pdf, f"yetki-yazisi-{application.reference}.pdf")


@login_required
@require_safe
def sender_id_check(request: HttpRequest) -> HttpResponse:
    """The sender-ID rules as the applicant types (the same function the form runs on submit)."""
    value = request.GET.get("value", "")[:40]
    problems = identifiers.lint_sender_id(value) if value.strip() else []
    return JsonResponse({"value": value, "problems": [{"code": p.code, "message": p.message} for p in problems]})


@login_required
@require_POST
def sms_parts(request: HttpRequest) -> HttpResponse:
    """The billing step's sample message and volume as typed: parts and the estimate, rendered as the page renders
    them (billing.estimates), so the script shows the server's numbers and never computes its own."""
    form = EstimateForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    result = estimates.billing_estimate(
        form.cleaned_data["expected_monthly_messages"],
        form.cleaned_data["sample_message"],
        packages=catalogue.priced_packages(),
        tiers=catalogue.tariff_tiers_today(),
        rates=catalogue.rates_today(),
    )
    response = JsonResponse(estimates.as_json(result, request=request))
    response["Cache-Control"] = "private, no-store"
    return response
