"""`make run PORT=8101` serves on :8101, so the e-mails it sends must link there: the Makefile passes SITE_URL.

Runs the real Makefile with a stand-in Python that records the SITE_URL each command sees (nothing is served)."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

MAKE = shutil.which("make")


def run_make(tmp_path: Path, *args: str, env: dict | None = None) -> list[str]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / ".installed").touch()  # newer than the requirements: no install step
    log = tmp_path / "calls.log"
    fake = venv / "bin" / "python"
    # runserver lingers a moment, as the real one would, so the scheduler started beside it gets to run.
    fake.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\ncase "$*" in *runserver*) sleep 1;; esac\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | (env or {})
    subprocess.run(
        [MAKE, "-s", "run", f"VENV={venv}", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return log.read_text().splitlines()


@pytest.mark.skipif(MAKE is None, reason="needs GNU make")
def test_make_run_on_another_port_gives_every_command_that_ports_site_url(tmp_path):
    calls = run_make(tmp_path, "PORT=8101")

    commands = {line.split(" ", 2)[2].split()[0] for line in calls if "manage.py" in line}
    assert {"migrate", "load_demo_data", "send_outbox", "run_scheduler", "runserver"} <= commands
    for line in calls:
        if "manage.py" in line and "compilemessages" not in line:
            assert line.startswith("http://127.0.0.1:8101 "), line
    assert any(line.endswith("runserver 127.0.0.1:8101") for line in calls)


@pytest.mark.skipif(MAKE is None, reason="needs GNU make")
def test_an_explicit_site_url_wins_and_the_default_port_stays_8000(tmp_path):
    assert all(line.startswith("http://127.0.0.1:8000 ") for line in run_make(tmp_path / "a") if "runserver" in line)
    calls = run_make(tmp_path / "b", "PORT=8101", env={"SITE_URL": "https://portal.example.test"})
    assert all(line.startswith("https://portal.example.test ") for line in calls if "manage.py" in line)


def test_the_settings_default_stays(monkeypatch):
    import importlib

    import config.settings as portal_settings

    monkeypatch.delenv("SITE_URL", raising=False)
    assert importlib.reload(portal_settings).SITE_URL == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8101/")
    assert importlib.reload(portal_settings).SITE_URL == "http://127.0.0.1:8101"
    monkeypatch.undo()
    importlib.reload(portal_settings)
