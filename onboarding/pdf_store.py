"""Generated PDFs rendered once per content version, kept in private storage and served from there.

WeasyPrint is the cost of a PDF (a letter takes a fifth of a second alone, seconds under load); rendering its HTML is
cheap. So `onboarding.pdf.stored_pdf` renders the HTML, takes the digest of it (`content_digest`), and asks this
module for the PDF of that digest (`pdf_once`):

1. A `RenderedPdf` row for the digest: its stored file is read and returned. No lock, no write (but for moving
   `last_served_at` forward once a day).
2. Otherwise, under a lock of that digest: look again (whoever held the lock may have stored it meanwhile), else
   render, save the file to the private store and record the row. The lock is `pg_advisory_xact_lock` on
   PostgreSQL, held by the transaction that inserts the row, so every process and worker waits for the one that
   renders and then finds its row. Elsewhere (SQLite: the embedded mode, one web process) it is a lock of this
   process, so that the database's single write lock is not held while WeasyPrint works.
3. A store that cannot be read or written costs speed, never the download: the PDF is rendered and returned as it
   was before this module existed, and a row whose file cannot be read is replaced by the next render.

The files are content-addressed and never change; a change of content is a new digest and a new file. What is no
longer asked for is removed by `forget_unused_pdfs` (daily, config/celery.py) once nobody has downloaded it for
`UNUSED_FOR`; asked for again, it is rendered again.

Which files are served to whom is not this module's business: the views load the application or statement through
their owner check first, and only then ask for its PDF. A digest is never taken from a request.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from onboarding.models import RenderedPdf

logger = logging.getLogger(__name__)

# What a file store raises when it cannot be reached, refuses, or lacks the file: the disk's OSError (a missing file
# included), S3's botocore errors. (The same tuple as documents.services.STORAGE_ERRORS, which this may not import.)
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

# A stored PDF nobody downloaded for this long is deleted; `last_served_at` moves at most once per TOUCH_AFTER.
UNUSED_FOR = datetime.timedelta(days=30)
TOUCH_AFTER = datetime.timedelta(days=1)

# The locks of this process for backends without advisory locks: a fixed set, picked by digest, so that no table of
# locks grows. Two digests sharing one only wait for each other.
_LOCAL_LOCKS = [threading.Lock() for _ in range(64)]


def content_digest(*parts: str) -> str:
    """The content version: the SHA-256 of the parts, each length-prefixed so that no two splits read alike."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def stored_name(digest: str) -> str:
    return f"pdf/{digest[:2]}/{digest}.pdf"


def pdf_once(digest: str, render: Callable[[], bytes], *, template: str) -> bytes:
    """The PDF of `digest`: the stored one, or `render()`'s, stored; rendered once however many ask at the same time.

    Waits for a render of the same digest in progress elsewhere rather than rendering a second time.
    """
    content = _read_stored(digest)
    if content is not None:
        return content
    with _render_lock(digest):
        content = _read_stored(digest)
        if content is not None:
            return content
        content = render()
        _store(digest, content, template=template)
        return content


def forget_unused_pdfs(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored PDFs nobody downloaded for UNUSED_FOR, rows first and files after the commit; the count."""
    cutoff = (now or timezone.now()) - UNUSED_FOR
    with transaction.atomic():
        unused = list(RenderedPdf.objects.filter(last_served_at__lt=cutoff).values_list("pk", "file"))
        RenderedPdf.objects.filter(pk__in=[pk for pk, _ in unused]).delete()
        names = [name for _, name in unused]
        transaction.on_commit(lambda: _delete_files(names))
    if unused:
        logger.info("forgot %d stored PDFs unused since %s", len(unused), cutoff.isoformat())
    return len(unused)


def _delete_files(names: list[str]) -> None:
    storage = RenderedPdf._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:  # a leftover file is harmless: no row points to it any more
            logger.warning("could not delete stored PDF %s", name, exc_info=True)


def _read_stored(digest: str) -> bytes | None:
    """The stored bytes of `digest`, or None when there are none or the store fails to give them."""
    row = RenderedPdf.objects.filter(digest=digest).first()
    if row is None:
        return None
    try:
        # Small files (tens of kilobytes) read whole: the views answer with bytes, as they did when rendering.
        with row.file.open("rb") as stored:
            content = stored.read()
    except STORAGE_ERRORS:
        logger.warning("stored PDF %s unreadable; rendering it again", row.file.name, exc_info=True)
        return None
    if len(content) != row.size:
        logger.warning(
            "stored PDF %s has %d bytes, not %d; rendering it again", row.file.name, len(content), row.size
        )
        return None
    now = timezone.now()
    if row.last_served_at < now - TOUCH_AFTER:
        RenderedPdf.objects.filter(pk=row.pk).update(last_served_at=now)
    return content


@contextmanager
def _render_lock(digest: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        # Held until the transaction ends, that is until the row below is committed and visible to the waiters.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(digest)])
            yield
    else:
        with _LOCAL_LOCKS[int(digest[:8], 16) % len(_LOCAL_LOCKS)]:
            yield


def _lock_key(digest: str) -> int:
    # The first 64 bits of the digest as PostgreSQL's signed bigint.
    return int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)


def _store(digest: str, content: bytes, *, template: str) -> None:
    """Save the file, then record it; if the store fails, the PDF is served unstored and a later request stores it."""
    storage = RenderedPdf._meta.get_field("file").storage
    try:
        # The store may answer with another name (a leftover of a crash or of a row replaced below): the row keeps it.
        name = storage.save(stored_name(digest), ContentFile(content))
    except STORAGE_ERRORS:
        logger.warning("PDF store unavailable; %s served without being stored", template, exc_info=True)
        return
    # A row whose file could not be read is pointed at the new file, and the old file goes once that is committed.
    previous = RenderedPdf.objects.filter(digest=digest).values_list("file", flat=True).first()
    RenderedPdf.objects.update_or_create(
        digest=digest,
        defaults={"file": name, "size": len(content), "template": template, "last_served_at": timezone.now()},
    )
    if previous and previous != name:
        transaction.on_commit(lambda: _delete_files([previous]))
