"""The settings module: the embedded default, the production shape, and loud failure on bad values.

Each case imports `config.settings` in a fresh interpreter with exactly the environment under test.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "SECRET_KEY": "x" * 64,
    "SMTP_HOST": "smtp.internal",
    "ALLOWED_HOSTS": "portal.example.com",
    "AWS_STORAGE_BUCKET_NAME": "portal-private",
}

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "db": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "mail": settings.MAILERS["default"]["BACKEND"],
    "storage": settings.STORAGES["private"]["BACKEND"],
    "language": settings.LANGUAGE_CODE,
    "timezone": settings.TIME_ZONE,
}))
"""


def load_settings(environ: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYENV_VERSION")}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": "/tmp/portal-settings-test"} | environ
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


def test_with_no_variables_the_portal_runs_embedded():
    result = load_settings({})

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == {
        "debug": True,
        "db": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "session": "django.contrib.sessions.backends.db",
        "eager": True,
        "broker": "memory://localhost/",
        "mail": "config.mail.ReadableConsoleBackend",
        "storage": "django.core.files.storage.FileSystemStorage",
        "language": "tr",
        "timezone": "Europe/Istanbul",
    }


def test_production_variables_select_postgres_redis_s3_and_smtp():
    result = load_settings(PRODUCTION)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is False
    assert loaded["db"] == "django.db.backends.postgresql"
    assert loaded["cache"] == "config.cache.ResilientRedisCache"
    assert loaded["session"] == "django.contrib.sessions.backends.db"
    assert loaded["eager"] is False
    assert loaded["broker"] == PRODUCTION["REDIS_URL"]
    assert loaded["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["storage"] == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"PORTAL_UPLOAD_MAX_MB": "ten"}, "PORTAL_UPLOAD_MAX_MB must be a whole number"),
        ({"PORTAL_UPLOAD_MAX_MB": "0"}, "PORTAL_UPLOAD_MAX_MB must be at least 1"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must be a redis://"),
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({**PRODUCTION, "SMTP_HOST": ""}, "SMTP_HOST is required"),
        ({"DATABASE_URL": "nonsense://x", "SECRET_KEY": "k" * 50}, "DATABASE_URL is not a valid database URL"),
        ({"PORTAL_QUIET_FROM_HOUR": "25"}, "must be hours from 0 to 23"),
    ],
)
def test_bad_values_stop_the_start_with_a_clear_message(variables, message):
    result = load_settings(variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_csp_is_strict_with_nonces():
    from django.utils.csp import CSP

    assert settings.SECURE_CSP["default-src"] == [CSP.SELF]
    assert settings.SECURE_CSP["script-src"] == [CSP.SELF, CSP.NONCE]
    assert "'unsafe-inline'" not in json.dumps(settings.SECURE_CSP)


# --- Files: a bucket, or a folder chosen on purpose; never a silent fallback to the web host's disk

STORAGE_PROBE = """
import json, django
from django.conf import settings
django.setup()
private = settings.STORAGES["private"]
options = dict(private["OPTIONS"])
client = options.pop("client_config", None)
if client is not None:
    options["client_config"] = {
        "connect_timeout": client.connect_timeout, "read_timeout": client.read_timeout, "retries": client.retries
    }
print(json.dumps({"backend": private["BACKEND"], "options": options}))
"""


def load_storage(environ: dict[str, str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYENV_VERSION")}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": "/tmp/portal-settings-test"} | environ
    result = subprocess.run(
        [sys.executable, "-c", STORAGE_PROBE],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


WITHOUT_BUCKET = {k: v for k, v in PRODUCTION.items() if k != "AWS_STORAGE_BUCKET_NAME"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (WITHOUT_BUCKET, "AWS_STORAGE_BUCKET_NAME is required when DATABASE_URL is set"),
        ({**WITHOUT_BUCKET, "PRIVATE_FILES_DIR": "var/private"}, "PRIVATE_FILES_DIR must be an absolute path"),
        ({**PRODUCTION, "PRIVATE_FILES_DIR": "/srv/portal/private"}, "AWS_STORAGE_BUCKET_NAME or PRIVATE_FILES_DIR"),
    ],
)
def test_production_without_a_bucket_or_a_chosen_folder_does_not_start(variables, message):
    result = load_settings(variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_single_host_install_keeps_files_in_the_folder_it_names():
    loaded = load_storage({**WITHOUT_BUCKET, "PRIVATE_FILES_DIR": "/srv/portal/private"})

    assert loaded == {
        "backend": "django.core.files.storage.FileSystemStorage",
        "options": {"location": "/srv/portal/private", "base_url": None},
    }


def test_the_embedded_mode_keeps_files_under_var_without_any_variable():
    loaded = load_storage({})

    assert loaded["backend"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["options"]["location"] == "/tmp/portal-settings-test/private"


def test_the_bucket_sets_no_acl_and_signs_any_url_for_five_minutes_at_most():
    loaded = load_storage({**PRODUCTION, "AWS_S3_ENDPOINT_URL": "https://s3.internal", "AWS_S3_REGION_NAME": "tr-1"})

    assert loaded["backend"] == "storages.backends.s3.S3Storage"
    options = loaded["options"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "portal-private",
        "https://s3.internal",
        "tr-1",
    )
    # A named ACL, even "private", is refused by buckets with ACLs disabled; objects are private without one.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert 0 < options["querystring_expire"] <= 300
    assert options["file_overwrite"] is False
    assert options["max_memory_size"] > 0  # a download spills to disk instead of filling worker memory
    # An unreachable store fails a request in seconds (botocore's defaults wait 60 s per try).
    assert options["client_config"]["connect_timeout"] <= 5
    assert options["client_config"]["retries"]["max_attempts"] <= 3
