"""The finance area. (Skeleton: the pages arrive with the finance work of issue 9.)"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse


@login_required
@permission_required("billing.view_billingaccount", raise_exception=True)
def dashboard(request):
    return HttpResponse("finans")
