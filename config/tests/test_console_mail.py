"""The embedded mode's console e-mail reads as a message, not as base64."""

import io

from django.core.mail import EmailMultiAlternatives

from config.mail import ReadableConsoleBackend


def test_the_console_prints_the_headers_and_the_decoded_turkish_text():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Başvurunuzda eksikler: TS-ABCD-EFGH",
        body="Merhaba Ayşe Yılmaz,\n\nİmzalı asılları kargoya verin.",
        from_email="basvuru@localhost",
        to=["basvuru@demo.local"],
        headers={"List-Unsubscribe": "<http://127.0.0.1:8000/hesap/bildirimler/durdur/x/>"},
    )
    message.attach_alternative("<p>Merhaba Ayşe Yılmaz</p>", "text/html")

    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1

    printed = stream.getvalue()
    assert "Subject: Başvurunuzda eksikler: TS-ABCD-EFGH" in printed
    assert "To: basvuru@demo.local" in printed
    assert "List-Unsubscribe: <http://127.0.0.1:8000/hesap/bildirimler/durdur/x/>" in printed
    assert "(also: HTML)" in printed
    assert "Merhaba Ayşe Yılmaz,\n\nİmzalı asılları kargoya verin." in printed
    assert "<p>" not in printed and "base64" not in printed
