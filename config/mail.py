"""The embedded mode's console e-mail, printed as a person reads it.

Django's console backend prints the raw MIME message, whose Turkish text is base64 or quoted-printable: unreadable
in a terminal. This one prints the headers that matter and the decoded text part (the HTML alternative and any
attachments are named, not printed).
"""

from django.core.mail.backends.console import EmailBackend

HEADERS = ("Subject", "From", "To", "Cc", "Reply-To", "Date", "List-Unsubscribe")


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        msg = message.message()
        lines = [f"{name}: {msg[name]}" for name in HEADERS if msg[name]]
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        attachments = [part.get_filename() or part.get_content_type() for part in msg.iter_attachments()]
        if html is not None and html is not text:
            attachments.insert(0, "HTML")
        if attachments:
            lines.append(f"(also: {', '.join(attachments)})")
        lines.append("")
        lines.append(text.get_content().rstrip() if text is not None else "(no text part)")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
