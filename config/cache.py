"""Redis as a cache that may be down: every read misses and every write is dropped while it is unreachable.

Redis is the portal's cache and broker, never the only copy of anything: sessions live in the database, due work in
the outbox. So while Redis is down the portal must keep working, a little slower — not answer 500 because a cache
call raised. After a failure the cache stays closed for `PAUSE_SECONDS` (a circuit breaker), so a request does not
pay a connection timeout for every cache call during an outage.

What this means for callers: `cache.add()` answers True while Redis is down (the key "was added"), so throttles built
on it (the e-mail resend limits) let requests through during an outage rather than refusing everyone; the lockout of
logins does not depend on the cache (django-axes keeps its counters in the database).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 15.0
# Unreachable, and also reachable but refusing (out of memory, read-only replica after a failover, MISCONF).
_UNREACHABLE = (RedisError, OSError)


def _fallback(method, answer):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return answer(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except _UNREACHABLE as error:
            type(self)._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("cache unreachable for %.0f s, serving without it: %s", PAUSE_SECONDS, error)
            return answer(*args, **kwargs)

    return wrapper


class ResilientRedisCacheClient(RedisCacheClient):
    _paused_until = 0.0

    add = _fallback(RedisCacheClient.add, lambda key, value, timeout: True)
    get = _fallback(RedisCacheClient.get, lambda key, default: default)
    set = _fallback(RedisCacheClient.set, lambda key, value, timeout: None)
    touch = _fallback(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _fallback(RedisCacheClient.delete, lambda key: False)
    get_many = _fallback(RedisCacheClient.get_many, lambda keys: {})
    has_key = _fallback(RedisCacheClient.has_key, lambda key: False)
    set_many = _fallback(RedisCacheClient.set_many, lambda data, timeout: [])
    delete_many = _fallback(RedisCacheClient.delete_many, lambda keys: None)
    clear = _fallback(RedisCacheClient.clear, lambda: False)

    def incr(self, key, delta):
        # incr of a missing key raises ValueError (BaseCache's contract); while Redis is down every key is missing.
        if time.monotonic() < self._paused_until:
            raise ValueError(f"Key '{key}' not found.")
        try:
            return super().incr(key, delta)
        except _UNREACHABLE as error:
            type(self)._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("cache unreachable for %.0f s, serving without it: %s", PAUSE_SECONDS, error)
            raise ValueError(f"Key '{key}' not found.") from None


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


def resume() -> None:
    """Close the breaker now (tests; an operator who knows Redis is back need not wait)."""
    ResilientRedisCacheClient._paused_until = 0.0
