"""The customer's statements: the list and each one's PDF, for the account's owner only (404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

import config.converters  # noqa: F401  (registers <reference:…>; the admin imports this module before any URLconf)
from billing.models import BillingAccount, Statement
from onboarding.pdf import pdf_response


def get_account_for_user(user, code: str) -> BillingAccount:
    """The billing account `code` if `user` owns it; a 404 otherwise, so another's account looks like none at all."""
    return get_object_or_404(BillingAccount, code=code, owner=user)


@login_required
@require_safe
def statements(request: HttpRequest, code: str) -> HttpResponse:
    """Every statement and credit note of the account, newest first, with net, each tax and the total."""
    account = get_account_for_user(request.user, code)
    rows = list(account.statements.select_related("corrects").order_by("-issue_date", "-number"))
    return render(request, "billing/statements.html", {"account": account, "statements": rows})


@login_required
@require_safe
def statement_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """One statement as a PDF (always Turkish: it is the legal document)."""
    from billing.statements import statement_pdf as render_statement

    account = get_account_for_user(request.user, code)
    statement = get_object_or_404(
        Statement.objects.select_related("account", "corrects"), account=account, number=number
    )
    return pdf_response(render_statement(statement), f"{statement.number}.pdf")


urlpatterns = [
    path("<reference:code>/faturalar/", statements, name="statements"),
    path("<reference:code>/faturalar/<str:number>.pdf", statement_pdf, name="statement-pdf"),
]
