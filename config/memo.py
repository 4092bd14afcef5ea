"""Read-mostly data computed once per process and reused until it changes (the catalogue, the province list).

Every page used to read the same catalogue rows — the institution types, each type's requirements with their
conditions and document kinds, the billing types, the package prices, the tax rates — on every request, although
staff change them a few times a year. A `Memo` keeps what a function computed from them in the process's memory and
hands it out until one of the models it depends on changes:

- in this process at once (the models' save/delete signals clear it, after the commit);
- in every other process (gunicorn workers, Celery) within `CHECK_EVERY` seconds: a change also writes a new
  random token to the shared cache (Redis), and a process compares its token with the shared one at most once per
  `CHECK_EVERY` seconds, so a request pays no cache round trip in between;
- never from uncommitted data: inside a transaction (`atomic`) the memo is bypassed, so a value computed from rows
  a later rollback removes is never kept (tests run in transactions, so they read the database as before; the memo's
  own tests run outside one).

While the shared cache is unreachable the token cannot be compared, so the memo is bypassed too: slower, never stale.
Values are shared between threads; treat them as read-only.
"""

import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class Memo:
    """Values keyed by anything hashable, computed by the caller's function and kept until a dependency changes."""

    CHECK_EVERY = 1.0

    def __init__(self, name: str, *, depends_on: Iterable[str]) -> None:
        self.name = name
        self.token_key = f"memo:{name}:token"
        self._values: dict[Hashable, Any] = {}
        self._token: str | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        for label in depends_on:
            # A lazy sender ("app_label.Model"): the receiver is connected once the model is loaded.
            post_save.connect(self._changed, sender=label, weak=False, dispatch_uid=f"memo:{name}:save:{label}")
            post_delete.connect(self._changed, sender=label, weak=False, dispatch_uid=f"memo:{name}:delete:{label}")
        m2m_changed.connect(self._m2m_changed, weak=False, dispatch_uid=f"memo:{name}:m2m")
        self._senders = set(depends_on)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if connection.in_atomic_block or not self._fresh():
            return compute()
        try:
            return self._values[key]
        except KeyError:
            value = compute()
            # Another thread may have cleared the values meanwhile (a change): keep this one only if the token is
            # still the one the value was computed under.
            with self._lock:
                token = self._token
            if token is not None and self._fresh() and self._token == token:
                self._values[key] = value
            return value

    def version(self) -> str | None:
        """An identifier of the data the values come from, for keeping things derived from them elsewhere (a page
        fragment, config.fragments); None when it cannot be known now (in a transaction, or the cache is down)."""
        if connection.in_atomic_block or not self._fresh():
            return None
        return self._token

    def clear(self) -> None:
        """Forget every value here and tell the other processes to forget theirs."""
        token = uuid.uuid4().hex
        cache.set(self.token_key, token, None)
        with self._lock:
            self._values = {}
            self._token = None
            self._checked_at = float("-inf")

    def _fresh(self) -> bool:
        """Whether the values held may be used: the shared token was compared recently and is still ours."""
        now = time.monotonic()
        if now - self._checked_at < self.CHECK_EVERY and self._token is not None:
            return True
        shared = cache.get(self.token_key)
        if shared is None:
            # Never set, or the cache was emptied: start a new generation (add: the first process's token wins).
            cache.add(self.token_key, uuid.uuid4().hex, None)
            shared = cache.get(self.token_key)
            if shared is None:
                return False  # the cache is unreachable: nothing can be compared, so nothing is reused
        with self._lock:
            if shared != self._token:
                self._values = {}
                self._token = shared
            self._checked_at = now
        return True

    def _changed(self, sender, **kwargs) -> None:
        # Cleared here at once (this process's next read inside the transaction bypasses the memo anyway) and again
        # after the commit, for the other processes and for a read that raced with the write.
        with self._lock:
            self._values = {}
        transaction.on_commit(self.clear, robust=True)

    def _m2m_changed(self, sender, **kwargs) -> None:
        model = kwargs["model"]
        instance = kwargs["instance"]
        labels = {model._meta.label, type(instance)._meta.label}
        if labels & self._senders:
            self._changed(sender, **kwargs)
