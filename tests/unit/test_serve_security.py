"""`pipeline.serve.security.Guard`: the names, origins, token and CSRF secret it accepts."""

from __future__ import annotations

import pytest

from pipeline.serve.security import Guard, is_loopback


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("LOCALHOST", True), ("0.0.0.0", False), ("192.168.1.5", False),
    ("::", False), ("example.org", False), ("localhost.example.org", False)])
def test_loopback_is_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert (Guard.for_server(host, 8000).token is None) is loopback


def test_host_header_must_name_this_server() -> None:
    guard = Guard("127.0.0.1", 8000)
    for ok in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LocalHost:8000", "127.0.0.1"):
        assert guard.host_ok(ok), ok
    for bad in (None, "", "evil.example", "evil.example:8000", "127.0.0.1:8001",
                "127.0.0.1.evil.example:8000", "localhost:8000@evil.example"):
        assert not guard.host_ok(bad), bad
    lan = Guard("192.168.1.5", 9000, token="t")
    assert lan.host_ok("192.168.1.5:9000") and not lan.host_ok("192.168.1.6:9000")
    v6 = Guard("fd00::1", 9000, token="t")
    assert v6.host_ok("[fd00::1]:9000")


def test_origin_must_be_this_servers_when_given() -> None:
    guard = Guard("127.0.0.1", 8000)
    assert guard.origin_ok(None)  # not a browser: the CSRF token decides
    assert guard.origin_ok("http://127.0.0.1:8000") and guard.origin_ok("http://localhost:8000")
    for bad in ("null", "http://evil.example", "https://127.0.0.1:8000", "http://127.0.0.1:80",
                "file://", ""):
        assert not guard.origin_ok(bad), bad


def test_token_and_csrf_are_compared_exactly() -> None:
    guard = Guard("0.0.0.0", 8000, token="s3cret")
    assert guard.token_ok("s3cret")
    for bad in (None, "", "s3cre", "s3cret ", "S3CRET"):
        assert not guard.token_ok(bad)
        assert not guard.csrf_ok(bad)
    assert guard.csrf_ok(guard.csrf) and len(guard.csrf) >= 40
    assert Guard("127.0.0.1", 8000).csrf != Guard("127.0.0.1", 8000).csrf  # per process
    assert Guard("127.0.0.1", 8000).token_ok(None)  # loopback: no token asked


@pytest.mark.parametrize("module", ["pipeline.serve.page", "pipeline.serve.security",
                                    "pipeline.serve.script"])
def test_the_page_and_the_checks_are_pure(module: str) -> None:
    """Only `pipeline.serve.app` is the server; the page and the request checks do no I/O."""
    import subprocess
    import sys

    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    bad = [m for m in loaded for prefix in ("starlette", "uvicorn", "subprocess", "polib",
                                            "pipeline.adapters", "pipeline.commands", "click")
           if m == prefix or m.startswith(prefix + ".")]
    assert bad == []
