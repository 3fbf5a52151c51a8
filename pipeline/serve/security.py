"""What every request to `bitext serve` must show before it reaches the publication.

- **Host**: one of the names the server was started for (127.0.0.1, localhost,
  [::1] and ``--host``, with the port): a page of another site whose name was
  re-pointed at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
- **Origin**: a state-changing request from a browser names its page's origin;
  it must be this server's.
- **Token** (only when listening beyond loopback): printed at start, given once as
  ``?token=`` (then kept in an HttpOnly, SameSite=Strict cookie), required on
  every request, compared in constant time.
- **CSRF**: every POST carries ``X-CSRF-Token``, a secret of this server process
  that only its own pages hold (a custom header also forces a CORS preflight,
  which this server never grants), and a JSON body.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field

TOKEN_COOKIE = "bitext-token"
CSRF_HEADER = "x-csrf-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: only this machine can connect."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Guard:
    """The server's names and secrets (``token`` None: loopback only, no token asked)."""

    host: str
    port: int
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @classmethod
    def for_server(cls, host: str, port: int) -> Guard:
        """A token when ``host`` is not loopback; a fresh CSRF secret always."""
        return cls(host, port, None if is_loopback(host) else secrets.token_urlsafe(24))

    @property
    def names(self) -> frozenset[str]:
        """The ``Host`` headers this server answers to."""
        shown = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") \
            else self.host
        hosts = {*LOOPBACK_NAMES, shown.lower()}
        return frozenset({h for h in hosts} | {f"{h}:{self.port}" for h in hosts})

    def host_ok(self, header: str | None) -> bool:
        return header is not None and header.lower() in self.names

    def origin_ok(self, origin: str | None) -> bool:
        """No Origin (not a browser) is let through to the CSRF check; a foreign one is not."""
        if origin is None:
            return True
        scheme, _, rest = origin.partition("://")
        return scheme == "http" and rest.lower() in self.names

    def token_ok(self, given: str | None) -> bool:
        if self.token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())
