"""`bitext serve` on the command line: the address it prints, the token beyond loopback,
one-line errors (exit 2), the missing extra, real HTTP to the running server."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.e2e.test_light_install import bitext as light_bitext
from tests.e2e.test_update_cli import EN, TR, run

pytestmark = pytest.mark.e2e



@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    assert run(runner, root, "update")[0] == 0
    return root


@contextmanager
def serving(root: Path, *args: str) -> Iterator[str]:
    """`bitext serve` in a subprocess; the first line it printed."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "serve",
                                "--no-open", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline()
    finally:
        process.terminate()
        process.wait(10)


def status(url: str, host: str | None = None,
           opener: urllib.request.OpenerDirector | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_loopback_prints_the_editor_address_and_answers_over_http(pub: Path) -> None:
    with serving(pub, "--port", "0") as line:
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/edit/doc/en)$", line.strip())
        assert match, line
        assert "token" not in line
        assert status(match.group(1)) == 200
        # DNS rebinding: the same socket, another site's name
        assert status(match.group(1), host=f"evil.example:{match.group(2)}") == 400


def test_beyond_loopback_the_token_is_printed_and_required(pub: Path) -> None:
    with serving(pub, "--host", "0.0.0.0", "--port", "0") as line:
        match = re.search(r"at http://0\.0\.0\.0:(\d+)(/edit/doc/en)\?token=([\w-]{20,})", line)
        assert match, line
        port, path, token = match.groups()
        base = f"http://127.0.0.1:{port}{path}"
        assert status(base) == 401
        assert status(base + "?token=not-it") == 401
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        assert status(f"{base}?token={token}", opener=browser) == 200  # redirect, cookie
        assert status(base, opener=browser) == 200  # the cookie alone now
        assert status(base) == 401  # without it, still refused


def test_unknown_document_and_busy_port_are_one_line_exit_2(pub: Path,
                                                            runner: CliRunner) -> None:
    code, out = run(runner, pub, "serve", "nope", "--no-open")
    assert code == 2 and "nope" in out and "Traceback" not in out
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code, out = run(runner, pub, "serve", "--port", str(port), "--no-open")
    assert code == 2, out
    assert out.strip().count("\n") == 0 and f"cannot listen on 127.0.0.1:{port}" in out
    code, out = run(runner, pub, "serve", "--host", "no-such-host.invalid", "--no-open")
    assert code == 2 and "--host no-such-host.invalid" in out


def test_without_the_serve_extra_it_names_the_extra(pub: Path) -> None:
    result = light_bitext(pub, "serve", blocked=("starlette", "uvicorn"))
    assert result.returncode == 2
    assert "bitext serve needs the 'serve' extra (starlette, uvicorn not installed): " \
        "pip install 'bitext[serve]'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
