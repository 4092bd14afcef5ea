import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User


@override_settings(DEBUG=True)
def test_demo_data_creates_the_three_roles_and_is_idempotent(db, capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")

    output = capsys.readouterr().out
    assert "basvuru@demo.local" in output and "inceleme@demo.local" in output and "muhasebe@demo.local" in output
    assert User.objects.filter(email__endswith="@demo.local").count() == 4
    reviewer = User.objects.get(email="inceleme@demo.local")
    assert reviewer.is_staff and reviewer.groups.filter(name="Reviewers").exists()
    assert reviewer.check_password("Inceleme-Demo-2026")


@override_settings(DEBUG=False)
def test_demo_data_refuses_to_run_outside_debug(db):
    with pytest.raises(CommandError):
        call_command("load_demo_data")
    assert not User.objects.exists()
