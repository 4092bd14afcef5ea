"""The customer's account page: balance, expiry, low-balance threshold, package orders, ledger history."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from billing.models import BillingAccount


@login_required
def account(request, code: str):
    account = get_object_or_404(BillingAccount, code=code, owner=request.user)
    return HttpResponse(account.code)


urlpatterns = [
    path("<reference:code>/", account, name="account"),
]
