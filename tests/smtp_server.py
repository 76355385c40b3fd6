"""A real SMTP server on loopback for the outbox tests (aiosmtpd in a background thread).

The server listens on 127.0.0.1 on a port chosen free when the helper is made, keeps that
port across stop() and start() (so a test can take the mail server away and bring it back),
and collects every accepted message as an email.message.EmailMessage together with its
envelope. It can refuse chosen recipients at RCPT time with any reply (550 for a permanent
refusal, 450 for a temporary one) and can require AUTH LOGIN/PLAIN with one fixed
username and password, without TLS, so the portal's login step is exercised for real.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One accepted message: the parsed mail plus the envelope it came with."""

    message: EmailMessage
    mail_from: str
    rcpt_tos: tuple[str, ...]
    login: str | None


class _Handler:
    """aiosmtpd hooks: refuse listed recipients, store what DATA delivers."""

    def __init__(self, server: LoopbackSMTP):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.server.refusals.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.server.on_data is not None:
            self.server.on_data(envelope)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=email.policy.default)
        login = session.auth_data.login.decode() if isinstance(
            session.auth_data, LoginPassword) else None
        self.server._store(Received(parsed, envelope.mail_from, tuple(envelope.rcpt_tos),
                                    login))
        return "250 Message accepted for delivery"


class LoopbackSMTP:
    """Start, stop and start again a loopback SMTP server; read what it received.

    username/password: when given, the server advertises AUTH LOGIN PLAIN, refuses mail
    from unauthenticated sessions and accepts only this pair (TLS not required).
    """

    def __init__(self, *, username: str | None = None, password: str | None = None):
        self.host, self.port = HOST, free_port()
        self.username, self.password = username, password
        self.refusals: dict[str, str] = {}
        self.on_data: Callable | None = None
        self.failed_logins: list[str] = []
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # -- lifecycle -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> LoopbackSMTP:
        if self._controller is not None:
            return self
        options = {}
        if self.username is not None:
            options = {"authenticator": self._authenticate, "auth_required": True,
                       "auth_require_tls": False}
        # A fresh controller each time: a stopped one has closed its event loop.
        controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                server_hostname="smtp.loopback.test", ready_timeout=5,
                                **options)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> LoopbackSMTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- behaviour -------------------------------------------------------------------
    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        """Answer RCPT TO:<address> with this reply instead of accepting it."""
        self.refusals[address.lower()] = reply

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if (isinstance(auth_data, LoginPassword) and mechanism in {"LOGIN", "PLAIN"}
                and auth_data.login.decode() == self.username
                and auth_data.password.decode() == self.password):
            return AuthResult(success=True, auth_data=auth_data)
        self.failed_logins.append(mechanism)
        return AuthResult(success=False, handled=False)

    # -- what arrived ----------------------------------------------------------------
    def _store(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]

    def clear(self) -> None:
        with self._lock:
            self._received.clear()


def mail_settings(server: LoopbackSMTP, **extra) -> dict:
    """App settings that send the portal's mail to this server (plain SMTP on loopback)."""
    return {"MAIL_SERVER": server.host, "MAIL_PORT": server.port, "MAIL_USE_STARTTLS": False,
            "MAIL_FROM": "stapteam@nijmegen.test", **extra}
