"""Benchmark: how much a 50 MB upload grows the web worker's memory.

Starts gunicorn (one sync worker) on the embedded settings in a scratch folder, logs in as a fresh applicant, streams
a 50 MB PDF to the upload view with http.client in 64 KB chunks, and reports the worker's peak RSS (VmHWM) before
and after. The upload is a real PDF padded to size, so it passes the checks and is stored.

    .venv/bin/python benchmarks/upload_memory.py [--megabytes 50]
"""

import argparse
import http.client
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def big_pdf(megabytes: int) -> bytes:
    """A valid one-page PDF carrying an attachment of random bytes, so it is `megabytes` big and incompressible."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("dolgu.bin", os.urandom(megabytes * 1024 * 1024))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def vm_hwm_kb(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1))


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {
        **os.environ,
        "VAR_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PORTAL_UPLOAD_MAX_MB": str(args.megabytes + 10),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    setup = (
        "from django.utils import timezone; from accounts.models import User; "
        "from onboarding.tests.helpers import draft_with_answers; from onboarding.services import checklist; "
        "u = User.objects.create_user('bench@portal.test', 'Bench-Parola-2026', email_confirmed_at=timezone.now()); "
        "a = draft_with_answers(u); print(a.reference, checklist(a)[0].requirement.pk)"
    )
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    reference, requirement = out[-2], out[-1]

    server = subprocess.Popen(
        [python, "-m", "gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{PORT}", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        pid = worker_pid(server.pid)
        cookie = login(reference)
        # Warm the worker up with a small upload so imports and caches are not counted.
        upload(cookie, reference, requirement, big_pdf(1))
        before = vm_hwm_kb(pid)
        started = time.perf_counter()
        status = upload(cookie, reference, requirement, big_pdf(args.megabytes))
        elapsed = time.perf_counter() - started
        after = vm_hwm_kb(pid)
        print(f"upload of {args.megabytes} MB: HTTP {status} in {elapsed:.2f} s")
        grew = (after - before) / 1024
        print(f"worker peak RSS before {before / 1024:.1f} MB, after {after / 1024:.1f} MB, grew {grew:.1f} MB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def login(reference: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    connection.request("GET", "/hesap/giris/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username=bench%40portal.test&password=Bench-Parola-2026"
    connection.request(
        "POST",
        "/hesap/giris/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie")).group(1)
    return f"csrftoken={csrf_cookie}; sessionid={session}", csrf_cookie


def upload(cookie, reference: str, requirement: str, content: bytes) -> int:
    cookies, csrf = cookie
    boundary = "----portalbench"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="buyuk.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.putrequest("POST", f"/belgeler/{reference}/{requirement}/yukle/")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + len(content) + len(tail)))
    connection.putheader("Cookie", cookies)
    connection.putheader("X-CSRFToken", csrf)
    connection.putheader("X-Requested-With", "XMLHttpRequest")
    connection.endheaders()
    connection.send(head)
    view = memoryview(content)
    for start in range(0, len(content), 64 * 1024):
        connection.send(view[start : start + 64 * 1024])
    connection.send(tail)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        print("refused:", body[:300])
    return response.status


if __name__ == "__main__":
    main()
