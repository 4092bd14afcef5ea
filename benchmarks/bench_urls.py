"""The page benchmark's URLs: the production URLs plus two trivial views, and its measuring middleware.

The trivial views are the yardstick of benchmarks/pages.py: a response of a few bytes through the whole middleware
stack, anonymous or behind `login_required` (which loads the session and the user, as every logged-in page does).
"""

import mmap
import os
import struct
import threading
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

# The request header that asks for a query count (wrk never sends it).
COUNT_HEADER = "HTTP_X_BENCH_COUNT_QUERIES"
# The folder where each worker process keeps its count of requests served (set by benchmarks/pages.py).
COUNTERS_DIR = os.environ.get("PAGES_BENCH_COUNTERS", "")


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def trivial_login(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class ServedCounter:
    """This process's count of requests served, in an 8-byte file of its own that the benchmark reads.

    The benchmark divides the workers' CPU time by the requests they served. wrk's own count misses the requests it
    abandons when it stops (the workers still finish them), which is a large error for a slow page in a short run;
    this count is exact, and costs a lock and a memory write per request (shared memory, no system call).
    """

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self.lock = threading.Lock()
        self.pid = None
        self.map = None

    def add(self) -> None:
        with self.lock:
            if self.pid != os.getpid():  # first request of this worker
                self.pid = os.getpid()
                file = self.folder / str(self.pid)
                file.write_bytes(bytes(8))
                with open(file, "r+b") as handle:
                    self.map = mmap.mmap(handle.fileno(), 8)
            struct.pack_into("Q", self.map, 0, struct.unpack_from("Q", self.map)[0] + 1)


class BenchMiddleware:
    """Counts the requests served (when the benchmark asks for it) and, for a request that sends
    `X-Bench-Count-Queries`, its database queries into the `X-Bench-Queries` header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.served = ServedCounter(COUNTERS_DIR) if COUNTERS_DIR else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counting = COUNT_HEADER in request.META
        response = self.with_query_count(request) if counting else self.get_response(request)
        if self.served:
            self.served.add()
        return response

    def with_query_count(self, request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        # The connection is per thread (gthread workers), so only this request's queries pass the wrapper.
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(queries)
        return response


urlpatterns = [
    path("__bench__/trivial", trivial),
    path("__bench__/trivial-login", trivial_login),
    path("", include("config.urls")),
]
