"""The embedded mode (SQLite in a file) with two tabs submitting one application at once: no "database is locked".

The suite's own SQLite database lives in memory and is shared between threads differently, so this runs the portal
as `make run` does — the embedded settings, no variables, a database file — in a fresh interpreter, and posts the
review step from two threads of one logged-in session, several rounds.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

ROUNDS = 6

RACE = """
import json, re, sys, threading
import django
django.setup()

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

call_command("migrate", verbosity=0)

from accounts import roles
from accounts.models import User
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import complete_draft
from onboarding.views import STEP_SLUGS

applicant = User.objects.create_user(
    email="ayse@ornek-belediye.test", password="Dogru-Parola-2026", full_name="Ayşe Yılmaz",
    email_confirmed_at=timezone.now(),
)
applicant.groups.add(Group.objects.get(name=roles.APPLICANTS))
# Each tab answers with its own response, a 500 included (the test client's re-raising would mix up the threads).
first_tab = Client(HTTP_HOST="localhost", raise_request_exception=False)
first_tab.force_login(applicant)
second_tab = Client(HTTP_HOST="localhost", raise_request_exception=False)
second_tab.cookies = first_tab.cookies  # one browser, one session, two tabs

report = {"options": settings.DATABASES["default"].get("OPTIONS", {}), "rounds": []}
for _ in range(int(sys.argv[1])):
    application = complete_draft(applicant)
    url = f"/basvuru/{application.reference}/{STEP_SLUGS['review']}/"
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(tab):
        try:
            barrier.wait()
            response = tab.post(url, {})
            error = re.search(r'<pre class="exception_value">(.*?)</pre>', response.content.decode(), re.S)
            outcomes.append(f"{response.status_code} {error.group(1)}" if error else response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(tab,)) for tab in (first_tab, second_tab)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    report["rounds"].append({
        "outcomes": outcomes,
        "status": Application.objects.get(pk=application.pk).status,
        "submitted_events": ApplicationEvent.objects.filter(application=application, to_status="submitted").count(),
    })
print("RESULT " + json.dumps(report))
"""


def test_two_tabs_submitting_at_once_on_embedded_sqlite_both_get_an_answer_and_submit_once(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYENV_VERSION")}
    environ |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-c", RACE, str(ROUNDS)],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    report = json.loads(line.removeprefix("RESULT "))
    for race in report["rounds"]:
        # Both tabs land on the status page: one with "sent", the other with "already sent"; one submission.
        assert race == {"outcomes": [302, 302], "status": "submitted", "submitted_events": 1}
    assert report["options"]["transaction_mode"] == "IMMEDIATE"
