"""Settings for the page benchmark (benchmarks/pages.py): the production settings, plus the benchmark's own URLs.

Only two things differ from `config.settings`, so that what is measured is what production serves:

- ROOT_URLCONF adds the trivial views the pages are compared with (`benchmarks/bench_urls.py`); they never appear in
  the production URLs.
- A middleware, outermost so that every query of the request is seen (session, user, view, response path), counts
  the database queries of a request that asks for it and returns the count in the `X-Bench-Queries` header, and
  counts the requests each worker served. Requests that do not ask for queries (all of wrk's) pay a header lookup
  and a counter increment, the trivial views as much as the pages.
"""

from config.settings import *  # noqa: F403 (a wrapper: the production settings are the point)
from config.settings import MIDDLEWARE

ROOT_URLCONF = "benchmarks.bench_urls"
MIDDLEWARE = ["benchmarks.bench_urls.BenchMiddleware", *MIDDLEWARE]
