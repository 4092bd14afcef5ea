"""A real SMTP server on a local port whose answers a test chooses: the outside world of the outbox's tests.

It speaks enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it accepted.
`behaviour` decides the answer to the end of DATA: "accept" (250), "busy" (451), "refuse" (550), or "vanish" (the
connection is closed with no answer, as when a reply is lost). "refuse_recipients" answers 550 to every RCPT,
"greylist" 451.
"stall" never greets a connection and "hang" keeps a message it received without answering, each until the server
is told to `release()` them or stops: a sender caught there can be killed mid-delivery.
"""

import socket
import socketserver
import threading
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    def write(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: SmtpServer = self.server.owner
        server.connections += 1
        if server.behaviour == "stall":
            server.released.wait()
            return
        self.write("220 test.local ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.write("250-test.local")
                self.write("250 8BITMIME")
            elif verb == "HELO" or verb == "MAIL" or verb == "RSET" or verb == "NOOP":
                self.write("250 OK")
            elif verb == "RCPT":
                answer = {"refuse_recipients": "550 no such user", "greylist": "451 greylisted, try again later"}
                self.write(answer.get(server.behaviour, "250 OK"))
            elif verb == "DATA":
                self.write("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                server.received.append(message_from_bytes(data))
                if server.behaviour == "hang":
                    server.released.wait()
                    return
                if server.behaviour == "vanish":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.write({"busy": "451 try again later", "refuse": "550 rejected"}.get(server.behaviour, "250 OK"))
            elif verb == "QUIT":
                self.write("221 bye")
                return
            else:
                self.write("502 not implemented")


class SmtpServer:
    def __init__(self, behaviour: str = "accept"):
        self.behaviour = behaviour
        self.received = []
        self.connections = 0
        self.released = threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self
        self.port = self._server.server_address[1]

    def __enter__(self) -> "SmtpServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def release(self) -> None:
        """Let stalled and hung connections go (they are closed without an answer)."""
        self.released.set()

    def mailers(self) -> dict:
        """A MAILERS setting that sends here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 5},
            }
        }


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """A server that accepts connections and never says a word: a frozen Redis, or one lost in a network split."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]

    def __enter__(self) -> "SilentServer":
        return self

    def __exit__(self, *exc) -> None:
        self._socket.close()
