"""Benchmark: every page people use, served the way production serves it, against a trivial view.

    .venv/bin/python benchmarks/pages.py [-n 100000] [--duration 5] [--rounds 3] [--only PATTERN] [--check]

What it does, from a fresh clone (PostgreSQL and Redis running, `wrk` installed or installable):

1. Data, once per database: creates the scratch database of DATABASE_URL if it is missing (default
   postgres://postgres@127.0.0.1:5432/portal_pages_bench), migrates, loads the demo data (`load_demo_data --force`:
   the personas, drafts and submissions of every kind, the demo customers), the finance load of
   benchmarks/finance.py at `--finance-accounts` accounts, and `-n` submitted applications with
   benchmarks/admin_queue.py's `seed`. A later run finds them and loads nothing.
2. The server: gunicorn with the production settings (DEBUG off, PostgreSQL, Redis from REDIS_URL, default
   redis://127.0.0.1:6379/14, whitenoise's manifest storage after `collectstatic`), `gthread`, 2 workers × 4 threads,
   as on the 2-core production host. Plain HTTP on 127.0.0.1, so the HTTPS redirect and secure cookies are off. The
   settings are `benchmarks/bench_settings.py`: the production ones plus two trivial views (a few bytes, anonymous and
   behind `login_required`) and a middleware that reports a request's query count when asked.
3. Measuring: one request per page with the persona's session cookie reads its status (it must be 200: a redirect
   to the login page would be measured as a fast page); a warm-up of a second per page; one more request per page
   for its query count, warm; then `--rounds` rounds, each driving every page in turn with `wrk -t2 -c8
   -d<duration>s`. The table ends with the first page's weight: the home page and every file it names, gzip.

Why CPU time per request, as a ratio. Requests per second on a shared 2-core machine swing with whatever else runs
(wrk itself takes part of a core), so the figure that counts is the CPU time the gunicorn workers spend per request:
utime + stime of the worker processes from /proc/<pid>/stat before and after each run, divided by the requests
served. Even that depends on the machine (clock, cache, Python build), so each page is stated as a ratio to a trivial
view measured in the same run: trivial CPU per request ÷ the page's. An anonymous page is compared with the
anonymous trivial view, a logged-in page with the trivial view behind `login_required` (which already pays for the
session and the user). A ratio of 0.30 means the page costs about three times a request that does nothing.

Why interleaved rounds. Background load comes and goes; measuring page A for a minute and then page B for a minute
would let a busy minute land on one page only. Each round runs every page once, trivial views included, and each
page's figures are the median of its rounds.

Requests served. wrk counts the responses it received; when it stops, each of its connections has a request in
flight that the workers still finish (a gthread worker does not notice the client left until it writes), which is
a large error for a slow page in a short run. So each worker counts the requests it served (the benchmark
middleware, in shared memory), and the benchmark waits until the workers' CPU time stops moving before it reads
both.
"""

import argparse
import gzip
import io
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_pages_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
WORKERS, THREADS, CONNECTIONS = 2, 4, 8
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The admin_queue seed's applicants, and the finance seed's once renamed out of their way (both start at bench-0/1).
QUEUE_EMAIL = r"^bench-[0-9]+@ornek\.test$"
FINANCE_EMAIL_PREFIX = "bench-musteri-"

# Applicants' first page: what a browser downloads for the home page, gzip as served (goal and third-party hosts).
PAGE_WEIGHT_GOAL_KB = 150


@dataclass
class Page:
    key: str
    label: str
    url: str
    persona: str  # "anonymous" or a persona name from PERSONAS
    goal: float | None = None  # the lowest acceptable ratio to the trivial view
    cpu_ms: list = field(default_factory=list)  # per round
    rps: list = field(default_factory=list)
    queries: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.persona == "anonymous"


# Who is logged in for which pages: the demo personas of `load_demo_data`.
PERSONAS = {
    "applicant": "basvuru@demo.local",
    "reviewer": "inceleme@demo.local",
    "finance": "muhasebe@demo.local",
}

GOALS = {
    "home": 0.30,
    "status": 0.35,
    "admin-queue": 0.08,
    "admin-review": 0.08,
    # every wizard step: 0.20 (added where the steps are listed)
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="submitted applications to seed (admin queue)")
    parser.add_argument("--finance-accounts", type=int, default=10_000, help="billing accounts of the finance load")
    parser.add_argument("--duration", type=float, default=5, help="seconds of wrk per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="only pages whose key, label or URL matches this regular expression")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page misses its goal")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="serve nothing again (PORTAL_PAGE_CACHE=false): what every request costs on a first visit",
    )
    args = parser.parse_args()
    if args.cold:
        os.environ["PORTAL_PAGE_CACHE"] = "false"

    wrk = find_wrk()
    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must point to a scratch PostgreSQL database.")
    create_database(database_url)
    var_dir = ROOT / "var" / "pages-bench" / database_url.rsplit("/", 1)[-1]
    (var_dir / "private").mkdir(parents=True, exist_ok=True)
    counters = var_dir / "counters"
    shutil.rmtree(counters, ignore_errors=True)
    counters.mkdir()
    os.environ.update(production_environment(var_dir), PAGES_BENCH_COUNTERS=str(counters))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    load_data(args.n, args.finance_accounts)
    print("collectstatic (manifest storage) …", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    pages = page_list()
    if args.only:
        wanted = re.compile(args.only)
        pages = [p for p in pages if p.key.startswith("trivial") or wanted.search(f"{p.key} {p.label} {p.url}")]
    cookies = {persona: session_cookie(email) for persona, email in PERSONAS.items()}
    describe_data()
    connections.close_all()

    port = free_port()
    server, log_path = start_gunicorn(port, var_dir)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server, log_path)
        workers = worker_pids(server.pid)
        probe(base, pages, cookies)
        weight = page_weight(base)
        print(f"\nwarm-up: {len(pages)} pages × 1 s", flush=True)
        for page in pages:
            run_wrk(wrk, base, page, cookies, 1, workers, server, counters)
        probe(base, pages, cookies)  # again, warm: the query counts without a cold worker's first-time lookups
        for number in range(1, args.rounds + 1):
            print(f"\nround {number}/{args.rounds}", flush=True)
            for page in pages:
                rps, cpu_ms = run_wrk(wrk, base, page, cookies, args.duration, workers, server, counters)
                page.rps.append(rps)
                page.cpu_ms.append(cpu_ms)
                print(f"  {page.label:<42} {rps:8.1f} req/s  {cpu_ms:7.2f} ms CPU/req", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    missed = report(pages, weight, args)
    if args.check and missed:
        sys.exit(1)


# --- Environment, database and data ---------------------------------------------------------------------------------


def find_wrk() -> str:
    """wrk, installed with apt-get when missing and we may (root, as CI and the development machines run)."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing; installing it with apt-get", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed: apt-get install wrk (Debian/Ubuntu) or brew install wrk.")
    return path


def production_environment(var_dir: Path) -> dict:
    """The production settings' variables, for plain HTTP on this machine; the caller's own values win."""
    wanted = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "REDIS_URL": DEFAULT_REDIS_URL,
        "SECRET_KEY": "pages-benchmark-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        "SMTP_HOST": "127.0.0.1",
        "VAR_DIR": str(var_dir),  # STATIC_ROOT for collectstatic
        "PRIVATE_FILES_DIR": str(var_dir / "private"),  # the demo documents, kept with the database they belong to
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    forced = {
        # Production as served behind TLS, minus what plain HTTP on the loopback cannot do.
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
    }
    return {**wanted, **{k: v for k, v in os.environ.items() if k in wanted}, **forced}


def create_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"creating database {name}", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


def load_data(applications: int, finance_accounts: int) -> None:
    """Demo data, the finance load and the admin queue's applications, each only if it is not there yet."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Value
    from django.db.models.functions import Replace

    from accounts.models import User
    from billing.models import BillingAccount

    loaded = False
    if not User.objects.filter(email=PERSONAS["applicant"]).exists():
        print("loading the demo data (load_demo_data --force) …", flush=True)
        started = time.perf_counter()
        call_command("load_demo_data", force=True, stdout=io.StringIO())  # its list of logins is not wanted here
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
        loaded = True
    if finance_accounts and not BillingAccount.objects.filter(code__startswith="TB-").exists():
        from benchmarks import finance

        print(f"finance load: {finance_accounts:,} accounts (benchmarks/finance.py) …", flush=True)
        started = time.perf_counter()
        finance.seed(finance_accounts, finance_accounts * 10, finance.finance_user().pk)
        # Its owners are bench-N@ornek.test, as the queue's applicants are: renamed out of their way.
        User.objects.filter(email__regex=QUEUE_EMAIL).update(
            email=Replace("email", Value("bench-"), Value(FINANCE_EMAIL_PREFIX))
        )
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
        loaded = True
    seeded = User.objects.filter(email__regex=QUEUE_EMAIL).count()
    if seeded == 0 and applications:
        from benchmarks import admin_queue

        print(f"admin queue load: {applications:,} submitted applications (benchmarks/admin_queue.py) …", flush=True)
        started = time.perf_counter()
        admin_queue.seed(applications)
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
        loaded = True
    elif seeded != applications:
        print(f"note: the database holds {seeded:,} seeded applications, not {applications:,}; drop it to reseed")
    if loaded:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def page_list() -> list[Page]:
    """Every page measured, with the persona that sees it; the objects are the demo data's."""
    from django.db.models import Count, Q

    from billing.models import BillingAccount, PackageOrder
    from onboarding.models import Application
    from onboarding.views import STEP_SLUGS

    applicant = PERSONAS["applicant"]
    # A draft whose every step opens (sender IDs done; documents need not be): the persona's if it has one.
    drafts = Application.objects.filter(status=Application.Status.DRAFT, completed_steps__contains=["sender"])
    draft = drafts.filter(applicant__email=applicant).order_by("pk").first() or drafts.order_by("pk").first()
    if draft.applicant.email != applicant:
        PERSONAS["drafter"] = draft.applicant.email
    drafter = "drafter" if "drafter" in PERSONAS else "applicant"
    # The status page with the most to show: the persona's submitted application with the most live documents.
    submitted = (
        Application.objects.filter(applicant__email=applicant)
        .exclude(status=Application.Status.DRAFT)
        .annotate(live=Count("documents", filter=Q(documents__is_live=True)))
        .order_by("-live", "pk")
        .first()
    )
    # The reviewers' page of an application under review with the most documents (demo data: real files).
    reviewed = (
        Application.objects.filter(status=Application.Status.IN_REVIEW, reference__startswith="TS-DEMB-")
        .annotate(live=Count("documents", filter=Q(documents__is_live=True)))
        .order_by("-live", "pk")
        .first()
    )
    prepaid = BillingAccount.objects.filter(owner__email=applicant, plan="prepaid").order_by("pk").first()
    invoiced = BillingAccount.objects.filter(owner__email=applicant, plan="invoiced").order_by("pk").first()
    order = PackageOrder.objects.filter(account=prepaid).order_by("-pk").first()

    pages = [
        Page("trivial", "trivial view (anonymous)", "/__bench__/trivial", "anonymous"),
        Page("trivial-login", "trivial view (login_required)", "/__bench__/trivial-login", "applicant"),
        Page("home", "home (anonymous)", "/", "anonymous", GOALS["home"]),
        Page("help", "help (anonymous)", "/yardim/", "anonymous"),
        Page("kvkk", "KVKK notice (anonymous)", "/kvkk/", "anonymous"),
        Page("kvkk-request", "KVKK request form (anonymous)", "/kvkk/basvuru/", "anonymous"),
        Page("login", "login form (anonymous)", "/hesap/giris/", "anonymous"),
        Page("register", "registration form (anonymous)", "/hesap/kayit/", "anonymous"),
        Page("password-reset", "password reset form (anonymous)", "/hesap/parola/sifirla/", "anonymous"),
        Page("applications", "my applications", "/basvuru/", "applicant"),
    ]
    for step, slug in STEP_SLUGS.items():
        pages.append(
            Page(f"wizard-{step}", f"wizard: {step} ({slug})", f"/basvuru/{draft.reference}/{slug}/", drafter, 0.20)
        )
    pages += [
        Page("status", f"application status ({submitted.status})", f"/basvuru/{submitted.reference}/", "applicant"),
        Page("notifications", "reminder settings", "/hesap/bildirimler/", "applicant"),
        Page("password-change", "password change form", "/hesap/parola/degistir/", "applicant"),
        Page("help-login", "help (logged in)", "/yardim/", "applicant"),
        Page("customer-prepaid", "customer: prepaid account", f"/musteri/{prepaid.code}/", "applicant"),
        Page(
            "customer-order-new", "customer: order a package", f"/musteri/{prepaid.code}/paket-siparisi/", "applicant"
        ),
        Page(
            "customer-order", "customer: an order", f"/musteri/{prepaid.code}/siparisler/{order.code}/", "applicant"
        ),
        Page("customer-invoiced", "customer: invoiced account", f"/musteri/{invoiced.code}/", "applicant"),
        Page("customer-statements", "customer: statements", f"/musteri/{invoiced.code}/faturalar/", "applicant"),
        Page("admin-queue", "admin queue (reviewer)", "/admin/onboarding/application/", "reviewer"),
        Page(
            "admin-review",
            f"admin application page ({reviewed.live} documents)",
            f"/admin/onboarding/application/{reviewed.pk}/change/",
            "reviewer",
        ),
        Page("admin-index", "admin index (reviewer)", "/admin/", "reviewer"),
        Page("finance-dashboard", "finance: dashboard", "/finans/", "finance"),
    ]
    from finance.reports import REPORTS

    for item in REPORTS:
        pages.append(Page(f"finance-{item.slug}", f"finance: {item.slug}", f"/finans/{item.slug}/", "finance"))
    for page in pages:
        if page.key in GOALS:
            page.goal = GOALS[page.key]
    return pages


def session_cookie(email: str) -> str:
    """A session in the production session store (the database), as a login makes it."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def describe_data() -> None:
    from billing.models import BillingAccount
    from onboarding.models import Application

    print(
        f"data: {Application.objects.count():,} applications, {BillingAccount.objects.count():,} billing accounts",
        flush=True,
    )


# --- The server -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, var_dir: Path) -> tuple[subprocess.Popen, Path]:
    log_path = var_dir / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 (the server's lifetime, closed with the process)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--worker-class", "gthread"]
    command += ["--workers", str(WORKERS), "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "120"]
    print(f"\ngunicorn: gthread {WORKERS} × {THREADS} on 127.0.0.1:{port} (log: {log_path})", flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT)
    return server, log_path


def wait_until_up(base: str, server: subprocess.Popen, log_path: Path) -> None:
    for _ in range(60):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(base + "/__bench__/trivial", timeout=30).read()  # noqa: S310 (http, built here)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer:\n{log_path.read_text()[-3000:]}")


def worker_pids(master: int) -> list[int]:
    for _ in range(20):
        children = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
        if len(children) == WORKERS:
            return children
        time.sleep(0.5)
    sys.exit(f"expected {WORKERS} gunicorn workers, found {children}")


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (all their threads), from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        # The command name may hold spaces: the fields after it start at the last ')'.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
    return total / CLOCK_TICKS


def served(counters: Path) -> int:
    """Requests served by the workers so far (each keeps its count in a file of its own: bench_urls.py)."""
    return sum(struct.unpack("Q", file.read_bytes())[0] for file in counters.iterdir())


def settled_cpu(pids: list[int]) -> float:
    """The workers' CPU time once it stops growing: the requests in flight when wrk stopped are finished."""
    last = cpu_seconds(pids)
    still = 0
    for _ in range(600):
        time.sleep(0.1)
        now = cpu_seconds(pids)
        still = still + 1 if now == last else 0
        if still >= 3:
            return now
        last = now
    return last


# --- Measuring ------------------------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict) -> tuple[int, dict, bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http, built here)
        with opener.open(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def probe(base: str, pages: list[Page], cookies: dict) -> None:
    """One request per page: it must answer 200 (a redirect would measure the login page), and its query count."""
    failed = []
    for page in pages:
        headers = {"X-Bench-Count-Queries": "1"}
        if not page.anonymous:
            headers["Cookie"] = cookies_for(page, cookies)
        status, response_headers, body = fetch(base + page.url, headers)
        page.queries = int(response_headers.get("X-Bench-Queries", -1))
        if page.key == "admin-queue" and "rows" not in page.label:
            # The goal speaks of a page of rows; say how many this one shows (the admin's list_per_page).
            table = re.search(rb'id="result_list".*?<tbody>(.*?)</tbody>', body, re.DOTALL)
            page.label = page.label.replace(")", f", {table.group(1).count(b'<tr') if table else '?'} rows)")
        if status != 200:
            failed.append(f"{page.label} {page.url}: HTTP {status} {response_headers.get('Location', '')}")
    if failed:
        sys.exit("pages that do not answer 200:\n  " + "\n  ".join(failed))


def cookies_for(page: Page, cookies: dict) -> str:
    return cookies[page.persona]


def run_wrk(wrk, base, page: Page, cookies: dict, duration: float, workers: list[int], server, counters) -> tuple:
    """One wrk run against one page: requests per second and the workers' CPU milliseconds per request."""
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{duration:g}s", "--timeout", "30s"]
    if not page.anonymous:
        command += ["-H", f"Cookie: {cookies_for(page, cookies)}"]
    before, served_before = settled_cpu(workers), served(counters)
    output = subprocess.run([*command, base + page.url], capture_output=True, text=True, check=True).stdout
    after, served_after = settled_cpu(workers), served(counters)
    if worker_pids(server.pid) != workers:
        sys.exit("a gunicorn worker was replaced during the run (crash or timeout): see the gunicorn log")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    if errors or (sockets and "timeout 0" not in sockets.group(1)):
        sys.exit(f"{page.label} {page.url}: wrk saw errors\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # The requests the workers served: wrk's count and those it left in flight when it stopped (see the docstring);
    # a slow page on a busy machine may finish none within a short run, but it finishes those in flight.
    requests = served_after - served_before
    if requests == 0:
        sys.exit(f"{page.label} {page.url}: no request served in {duration:g} s")
    return rps, (after - before) * 1000 / requests


class AssetParser(HTMLParser):
    """The files a browser fetches for a page: stylesheets, scripts, images and icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and ({"stylesheet", "icon", "preload", "modulepreload"} & set(attrs.get("rel", "").split())):
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])


def page_weight(base: str) -> dict:
    """The home page's first visit: its HTML and every file it names (and the stylesheets' url()s), gzip as served."""
    headers = {"Accept-Encoding": "gzip"}
    status, response_headers, body = fetch(base + "/", headers)
    files = [("/", len(body))]
    html = gzip.decompress(body) if response_headers.get("Content-Encoding") == "gzip" else body
    parser = AssetParser()
    parser.feed(html.decode())
    queue = [urllib.parse.urljoin(base + "/", url) for url in parser.urls if url]
    third_party = []
    seen = set()
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        if urllib.parse.urlsplit(url).netloc != urllib.parse.urlsplit(base).netloc:
            third_party.append(url)
            continue
        status, response_headers, body = fetch(url, headers)
        if status != 200:
            sys.exit(f"the home page names {url}, which answers HTTP {status}")
        files.append((urllib.parse.urlsplit(url).path, len(body)))
        if url.split("?")[0].endswith(".css"):
            text = gzip.decompress(body) if response_headers.get("Content-Encoding") == "gzip" else body
            for found in re.findall(rb"url\(\s*['\"]?([^'\")]+)", text):
                queue.append(urllib.parse.urljoin(url, found.decode()))
    return {"files": files, "total": sum(size for _, size in files), "third_party": third_party}


# --- The report -----------------------------------------------------------------------------------------------------


def report(pages: list[Page], weight: dict, args) -> int:
    """The table (plain, then Markdown for the README); returns how many goals were missed."""
    by_key = {page.key: page for page in pages}
    trivial = {
        True: statistics.median(by_key["trivial"].cpu_ms),
        False: statistics.median(by_key["trivial-login"].cpu_ms),
    }
    rows, missed = [], 0
    for page in pages:
        cpu = statistics.median(page.cpu_ms)
        ratio = trivial[page.anonymous] / cpu
        if page.goal is None:
            goal, ok = "", ""
        else:
            goal, ok = f"≥ {page.goal:.2f}", "ok" if ratio >= page.goal else "FAIL"
            missed += ok == "FAIL"
        spread = f"{min(page.cpu_ms):.2f}–{max(page.cpu_ms):.2f}" if len(page.cpu_ms) > 1 else ""
        rows.append(
            [
                page.label,
                page.url,
                f"{statistics.median(page.rps):.1f}",
                f"{cpu:.2f}",
                spread,
                f"{ratio:.2f}",
                str(page.queries),
                goal,
                ok,
            ]
        )
    kb = weight["total"] / 1024
    weight_ok = kb <= PAGE_WEIGHT_GOAL_KB and not weight["third_party"]
    missed += not weight_ok
    rows.append(
        [
            "first page weight (home + assets, gzip)",
            f"{len(weight['files'])} files",
            "",
            "",
            "",
            f"{kb:.1f} KB",
            f"{len(weight['third_party'])} third-party",
            f"≤ {PAGE_WEIGHT_GOAL_KB} KB, 0 third-party",
            "ok" if weight_ok else "FAIL",
        ]
    )
    header = ["page", "URL", "req/s", "CPU ms/req", "CPU range", "ratio", "queries", "goal", "ok"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(
        f"\nResults: median of {args.rounds} rounds of wrk -t2 -c{CONNECTIONS} -d{args.duration:g}s, "
        f"gunicorn gthread {WORKERS}×{THREADS}. ratio = trivial view's CPU per request ÷ the page's "
        f"(anonymous pages: {trivial[True]:.2f} ms; logged-in pages: {trivial[False]:.2f} ms)\n"
    )
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        "\nfirst page files (bytes as sent, gzip): " + ", ".join(f"{path} {size:,}" for path, size in weight["files"])
    )
    print("\nMarkdown:\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    print(f"\n{missed} goal(s) missed" if missed else "\nevery goal met")
    return missed


if __name__ == "__main__":
    main()
