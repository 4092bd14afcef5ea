"""Staff see each message's state in the admin; nobody edits one; only a superuser sends a failed one again."""

import pytest
from django.utils import timezone

from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

LIST = "/admin/outbox/outboxemail/"


def message(**overrides) -> OutboxEmail:
    return OutboxEmail.objects.create(
        **{
            "to": ["ayse@ornek-belediye.test"],
            "template": "password_reset",
            "language": "tr",
            "context": {"reset_url": "https://portal.example/parola/sifirla/MQ/gizli-belirtec/"},
            "next_attempt_at": timezone.now(),
            **overrides,
        }
    )


def test_a_reviewer_sees_the_state_of_each_message_but_never_its_links(client, reviewer):
    email = message(state="failed", last_error="550 rejected")
    client.force_login(reviewer)

    listing = client.get(LIST).content.decode()
    detail = client.get(f"{LIST}{email.pk}/change/").content.decode()

    assert "ayse@ornek-belediye.test" in listing and "Gönderilemedi" in listing
    assert "550 rejected" in detail
    assert "gizli-belirtec" not in detail and "gizli-belirtec" not in listing
    # Read-only: no save button, and a post changes nothing.
    assert 'name="_save"' not in detail
    client.post(f"{LIST}{email.pk}/change/", {"state": "sent"})
    assert OutboxEmail.objects.get(pk=email.pk).state == "failed"


def test_a_reviewer_cannot_send_again_but_a_superuser_can(
    client, reviewer, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    email = message(state="uncertain")
    action = {"action": "send_again", "_selected_action": [email.pk]}

    client.force_login(reviewer)
    client.post(LIST, action)
    assert OutboxEmail.objects.get(pk=email.pk).state == "uncertain"

    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, action, follow=True)
    assert "1 e-posta yeniden kuyruğa alındı." in response.content.decode()
    assert OutboxEmail.objects.get(pk=email.pk).state == "sent"
    assert len(mailoutbox) == 1


def test_applicants_and_finance_do_not_see_the_outbox(client, applicant, finance):
    for user in (applicant, finance):
        client.force_login(user)
        assert client.get(LIST).status_code in (302, 403)
