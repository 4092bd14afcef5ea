"""Benchmark: how much an upload grows the web worker's memory, for the largest PDF and the worst accepted images.

Starts gunicorn (one gthread worker, four threads) on the embedded settings in a scratch folder, logs in as a fresh
applicant and streams uploads to the upload view with http.client in 64 KB chunks. Before each measurement the
worker's peak RSS is reset (``echo 5 > /proc/PID/clear_refs``, Linux), so each line is the peak that upload alone
added to the worker's resident memory:

1. a 50 MB PDF (a real one-page PDF padded with a 50 MB content stream, so it passes the checks and is stored);
2. the worst accepted PNG: 6320 × 6320 RGB, a 40 KB file that decodes to 152 MiB (at the decode budget);
3. a 108-megapixel phone photo (12000 × 9000 JPEG, decoded at half size);
4. four of the worst images at once (three PNGs and the photo), which the per-process slot serialises.

    .venv/bin/python benchmarks/upload_memory.py [--megabytes 50]
"""

import argparse
import http.client
import io
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def big_pdf(megabytes: int) -> bytes:
    """A valid one-page PDF whose content stream is `megabytes` of random bytes (an attachment would be refused)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(os.urandom(megabytes * 1024 * 1024))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def worst_png() -> bytes:
    """6320 × 6320 RGB in one colour, written row by row: about 130 KB on disk, 152 MiB once Pillow decodes it."""
    width = height = 6320
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xf0" * (width * 3)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def phone_photo() -> bytes:
    """A 12000 × 9000 JPEG, as a 108-megapixel phone saves it (made here, in the benchmark's process)."""
    from PIL import Image

    out = io.BytesIO()
    img = Image.new("RGB", (12000, 9000), (210, 200, 185))
    img.paste((20, 20, 20), (0, 0, 6000, 2250))
    img.save(out, "JPEG", quality=90)
    img.close()
    return out.getvalue()


def vm_kb(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1))


def measure(pid: int, label: str, uploads: list) -> None:
    """Reset the worker's peak RSS, run the uploads (at once when several), print how far the peak rose."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = vm_kb(pid, "VmRSS")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
        statuses = list(pool.map(lambda job: job(), uploads))
    elapsed = time.perf_counter() - started
    grew = (vm_kb(pid, "VmHWM") - before) / 1024
    print(
        f"{label}: HTTP {statuses} in {elapsed:.2f} s; worker peak RSS +{grew:.0f} MB (from {before / 1024:.0f} MB)"
    )


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
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "1",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        pid = worker_pid(server.pid)
        cookie = login(reference)

        def send(name: str, content: bytes):
            return lambda: upload(cookie, reference, requirement, content, name)

        # Warm the worker up with small uploads so imports and caches are not counted.
        send("kucuk.pdf", big_pdf(1))()
        send("kucuk.png", small_png())()
        send("kucuk.jpg", small_jpeg())()
        measure(pid, f"PDF of {args.megabytes} MB", [send("buyuk.pdf", big_pdf(args.megabytes))])
        png, photo = worst_png(), phone_photo()
        measure(pid, f"PNG 6320 x 6320 ({len(png) // 1024} KB)", [send("tarama.png", png)])
        measure(pid, f"JPEG 12000 x 9000 ({len(photo) / 1e6:.1f} MB)", [send("foto.jpg", photo)])
        measure(
            pid,
            "three such PNGs and the photo at once",
            [send(f"t{i}.png", png) for i in range(3)] + [send("f.jpg", photo)],
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def small_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, "PNG")
    return out.getvalue()


def small_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, "JPEG")
    return out.getvalue()


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


def upload(cookie, reference: str, requirement: str, content: bytes, name: str = "buyuk.pdf") -> int:
    cookies, csrf = cookie
    boundary = "----portalbench"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
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
