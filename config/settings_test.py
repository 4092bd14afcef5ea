"""A few overrides for the test suite; everything else comes from the environment as in production."""

import os
import tempfile
from pathlib import Path

# Tests never touch the developer's var/ folder. The suite stores files here (see STORAGES below), so on PostgreSQL it
# needs no storage variable of its own; the S3 tests (marker s3) bring their own bucket.
_TEST_FILES = Path(tempfile.mkdtemp(prefix="portal-test-files-"))
if os.environ.get("DATABASE_URL") and not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    os.environ.setdefault("PRIVATE_FILES_DIR", str(_TEST_FILES))

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

# Fast hashing: the suite creates many users; real hashers are Django's concern.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(_TEST_FILES), "base_url": None},
}
STORAGES = {
    **STORAGES,
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = _TEST_FILES
STATIC_ROOT = _TEST_FILES / "static"
STATIC_ROOT.mkdir()

# Tasks run in process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False

# Threads in tests (live server, concurrency tests) must not keep connections open past the test run, or the test
# database cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
