"""pandoc, from the pypandoc-binary wheel: Markdown -> JSON AST, JSON AST -> formats.

Source text is untrusted, so every run is locked down:

- the reader is `READER`: pandoc Markdown with raw HTML, raw TeX and raw
  attributes (`` `x`{=typst} ``) turned off, so ``<script>``, ``\\input{…}``
  and raw typst/HTML blocks arrive as ordinary text; citations are off too,
  so a handle (``@perspektif``) or ``[@doe2020]`` is text, not a citation;
- reading runs in pandoc's sandbox: a reader cannot read files or the
  network (an image path like ``../../etc/passwd`` is never fetched);
- writers get only their JSON input (sanitised ASTs: no images, no raw
  markup) and write html5 or typst with no template and no embedded
  resources, which read nothing.

The runs go to a *pandoc session*: a ``pandoc lua`` process kept for the
whole run (`_Session`, one per thread that needs one at a time), which reads
requests from a pipe and answers each with `pandoc.read` / `pandoc.write`,
the functions the command line uses. A fresh process per run cost ~40 ms of
CPU, as much as the work itself (its 64 MiB allocation area touched anew,
start-up); a session pays that once. The command line (`parse_markdown_cli`,
`write_fragments_cli`, one process per run with ``--sandbox``) stays the
reference: `tests/e2e/test_pandoc_session.py` holds the two to the same bytes.

`write_fragments` writes several ASTs to one text format in a single request:
every HTML page and EPUB text of a document come from one, every typst piece
from another. A session's request is compacted first (`pipeline.adapters.pandoc_compact`:
each ``Str Space Str`` run joined, which the writers write the same; a quarter to a third
of the JSON to read); the command line's is not, so the reference checks that too.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import re
import subprocess
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.adapters.pandoc_compact import compact
from pipeline.errors import BitextError

try:  # the build extra's; json does the same, slower
    import orjson
except ImportError:  # pragma: no cover - a light install has no pandoc either
    orjson = None  # type: ignore[assignment]

# pandoc Markdown minus every passthrough of raw markup; LaTeX macros off too (they expand
# inside math); citations off, so "@perspektif" and "[@doe2020]" stay text (a citation
# makes typst ask for a bibliography, which no edition has). Pandoc applies the same
# reader to YAML metadata values.
READER = "markdown-raw_html-raw_attribute-raw_tex-latex_macros-citations"
_SPLIT = {"html": "<!-- bitext-fragment -->", "typst": "// bitext-fragment"}
_TIMEOUT = 120


@lru_cache(maxsize=1)
def pandoc_binary() -> str:
    """The pandoc executable inside the pypandoc-binary wheel (never a system pandoc)."""
    spec = importlib.util.find_spec("pypandoc")
    origin = spec.origin if spec is not None else None
    path = Path(origin).parent / "files" / "pandoc" if origin else None
    if path is None or not path.is_file():
        raise BitextError("pandoc is missing from the pypandoc-binary wheel; reinstall bitext")
    return str(path)


def pandoc_version() -> str:
    """An identity of the bundled pandoc for build caches: its path, size and mtime.

    Cheap (one ``stat``, no process, no package metadata scan), and it changes
    whenever the wheel is reinstalled or upgraded.
    """
    path = pandoc_binary()
    stat = os.stat(path)
    return f"pandoc:{path}:{stat.st_size}:{stat.st_mtime_ns}"


def parse_markdown(text: str, *, shown: str) -> dict[str, Any]:
    """Parse pandoc Markdown into its JSON AST (raw passthrough off, sandboxed)."""
    return _ast(_run(["-f", READER, "-t", "json"], text.encode("utf-8"), shown=shown), shown)


def parse_markdown_cli(text: str, *, shown: str) -> dict[str, Any]:
    """`parse_markdown` by a pandoc process of its own (the reference)."""
    return _ast(_run_cli(["-f", READER, "-t", "json"], text.encode("utf-8"), shown=shown),
                shown)


def _loads(data: bytes) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # deeper than orjson reads, say: json's answer (or its RecursionError)
    return json.loads(data)


def _dumps(value: Any) -> bytes:
    """Compact JSON in UTF-8 (json's ``ensure_ascii=False``, no spaces), by orjson if it can."""
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except orjson.JSONEncodeError:
            pass  # deeper than orjson writes (254 levels): json writes it
    return _ENCODER.encode(value).encode("utf-8")


def _ast(out: bytes, shown: str) -> dict[str, Any]:
    try:
        ast: dict[str, Any] = _loads(out)
    except RecursionError:  # a translation (the original's depth is bounded at parse time)
        raise BitextError("nested too deeply to render (block quotes, lists or emphasis "
                          "inside one another, hundreds of levels)", path=shown) from None
    except ValueError as exc:  # pragma: no cover - pandoc always writes JSON here
        raise BitextError(f"pandoc returned no JSON: {exc}", path=shown) from exc
    return ast


def write_fragments(asts: list[dict[str, Any]], to: str, *, shown: str,
                    once: bool = False) -> list[str]:
    """Write each AST's blocks (no template) to ``to`` ("html" or "typst"), in one request.

    The ASTs are joined with a raw separator block, written once, and split
    again; the separator is raw markup of ``to`` that source text cannot
    produce (raw passthrough is off in the reader). ``once``: identical ASTs
    are written once (the pieces both layouts of a bilingual PDF share); only
    where a fragment's output does not depend on the others' (typst: yes; HTML
    numbers Note nodes across the run and puts them after the last fragment).
    """
    return _fragments(asts, to, shown, cli=False, once=once)


def write_fragments_cli(asts: list[dict[str, Any]], to: str, *, shown: str,
                        once: bool = False) -> list[str]:
    """`write_fragments` by a pandoc process of its own (the reference)."""
    return _fragments(asts, to, shown, cli=True, once=once)


_WRITER = {"html": "html5", "typst": "typst"}
# the longest Str each writer gets (`pipeline.adapters.pandoc_compact`): HTML any, typst's
# time grows with a Str's square (64 bytes: its fastest on the sample, 125 -> 53 ms)
_COMPACT: dict[str, int | None] = {"html": None, "typst": 64}
# one encoder for every piece: json.dumps with arguments builds a new one per call, which
# cost more than the encoding of a sentence
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _fragments(asts: list[dict[str, Any]], to: str, shown: str, *, cli: bool,
               once: bool) -> list[str]:
    if not asts:
        return []
    # each AST's blocks as JSON, without the list's brackets; with `once`, the same text is
    # written once (a key of its own per AST otherwise)
    unique: dict[bytes, int] = {}
    order = []
    for k, ast in enumerate(asts):
        text = _dumps(ast["blocks"])[1:-1]
        order.append(unique.setdefault(text if once else b"%d\0%s" % (k, text), len(unique)))
    separator = _dumps({"t": "RawBlock", "c": [to, _SPLIT[to]]})
    items: list[bytes] = []
    for i, key in enumerate(unique):
        blocks = key if once else key.partition(b"\0")[2]
        items.extend(([separator] if i else []) + ([blocks] if blocks else []))
    data = (b'{"pandoc-api-version":' + _dumps(asts[0]["pandoc-api-version"])
            + b',"meta":{},"blocks":[' + b",".join(items) + b"]}")
    if not cli:  # the reference reads the JSON as it is: the tests hold the two equal
        data = compact(data, _COMPACT[to])
    out = (_run_cli if cli else _run)(["-f", "json", "-t", _WRITER[to], "--wrap=none"], data,
                                      shown=shown)
    parts = _split(out.decode("utf-8"), len(unique), to, shown)
    return [parts[i] for i in order]


def _split(out: str, count: int, to: str, shown: str) -> list[str]:
    # each fragment without the line breaks around it, wherever it stood in the run; line
    # breaks around the whole and a separator's own line break left to the next one, so an
    # empty fragment is cut off too (first, last, or two separators on consecutive lines;
    # a session's output has no final line break, the command line's has)
    parts = [part.strip("\n")
             for part in re.split("\n" + re.escape(_SPLIT[to]) + "(?=\n)", "\n" + out + "\n")]
    if len(parts) != count:
        raise BitextError(f"pandoc split {count} fragments into {len(parts)}", path=shown)
    return parts


# Below this many bytes of input, a small heap: the bundled pandoc asks for 64 MiB
# (-H64m), and touching that much fresh memory costs a small run more than its GC saves
# (a document's parse: 43 ms of CPU instead of 55; a writer's JSON input, larger, gains
# from the big allocation area instead).
SMALL_INPUT = 64 * 1024


def _run(args: list[str], data: bytes, *, shown: str) -> bytes:
    """One pandoc run, ``pandoc --sandbox ARGS`` with ``data`` as input, by a session.

    ARGS are the command line's: ``-f READER -t json`` (a parse) or ``-f json -t WRITER
    --wrap=none`` (a write), the only two runs bitext makes.
    """
    source, target = args[args.index("-f") + 1], args[args.index("-t") + 1]
    if target == "json":
        return _request("read", source, data, shown=shown)
    if source == "json" and "--wrap=none" in args:
        return _request("write", target, data, shown=shown)
    raise ValueError(f"not a run a session makes: {args}")  # pragma: no cover


def _run_cli(args: list[str], data: bytes, *, shown: str) -> bytes:
    """`_run` by a process of its own (the reference)."""
    command = [pandoc_binary(), "--sandbox", *args]
    # -A64m: a larger allocation area, so the GC runs less (a third less CPU per big run)
    heap = "-H4m -A4m" if len(data) < SMALL_INPUT else "-A64m"
    environment = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "GHCRTS": heap}
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=_TIMEOUT,
                              env=environment, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BitextError(f"pandoc could not run: {exc}", path=shown) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise BitextError(f"pandoc failed: {message}", path=shown)
    return done.stdout


# The session's loop. A request is a line "read|write FORMAT LENGTH" and LENGTH bytes; the
# answer a line "ok|error LENGTH" and LENGTH bytes. read: Markdown in, JSON out, in the
# sandbox (`read_env` {}: no file may be read), with the command line's reader options
# (its abbreviations, from pandoc's data file, and 72 columns: `pandoc.read`'s defaults
# are 28 abbreviations and 80 columns, and both change a parse: "No. 5" keeps its
# no-break space, a pipe table's widths); write: JSON in, FORMAT out, as
# `-f json -t FORMAT --wrap=none` does. An error (pcall) is answered, the loop goes on;
# end of input (the parent closed the pipe, or died) ends the process.
_SESSION_LUA = r"""
local stdin, stdout = io.stdin, io.stdout
local abbreviations = {}
for word in os.getenv("BITEXT_ABBREVIATIONS"):gmatch("%S+") do abbreviations[word] = true end
local options = pandoc.ReaderOptions({abbreviations = abbreviations, columns = 72})
while true do
  local head = stdin:read("l")
  if not head then break end
  local op, fmt, n = head:match("^(%a+) (%S+) (%d+)$")
  n = tonumber(n or 0)
  -- read(0) would wait for a byte beyond the request (it tests for the end of input)
  local body = n > 0 and stdin:read(n) or ""
  local ok, out = pcall(function()
    if op == "read" then
      return pandoc.write(pandoc.read(body, fmt, options, {}), "json")
    elseif op == "write" then
      return pandoc.write(pandoc.read(body, "json"), fmt, {wrap_text = "none"})
    end
    error("bad request: " .. head)
  end)
  if not ok then out = tostring(out) end
  stdout:write((ok and "ok " or "error ") .. #out .. "\n", out)
  stdout:flush()
end
"""


@lru_cache(maxsize=1)
def _abbreviations() -> str:
    """pandoc's abbreviations data file, which the command line's reader uses."""
    done = subprocess.run([pandoc_binary(), "--print-default-data-file", "abbreviations"],
                          capture_output=True, timeout=_TIMEOUT, check=False)
    if done.returncode != 0:
        raise BitextError("pandoc could not run: no abbreviations data file")
    return done.stdout.decode("utf-8")


class _Dead(Exception):
    """The session's process is gone (killed, timed out, crashed)."""


class _Session:
    """One ``pandoc lua`` process answering requests (see `_SESSION_LUA`); one caller at a time."""

    def __init__(self) -> None:
        # a long-lived process: the large allocation area is touched once, then reused
        environment = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "GHCRTS": "-A64m",
                       "BITEXT_ABBREVIATIONS": _abbreviations()}
        self.process = subprocess.Popen(
            [pandoc_binary(), "lua", "-e", _SESSION_LUA], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)

    def call(self, op: str, fmt: str, data: bytes) -> tuple[bool, bytes]:
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        # a run that hangs is killed, as the command line's timeout did
        watchdog = threading.Timer(_TIMEOUT, process.kill)
        watchdog.start()
        try:
            process.stdin.write(f"{op} {fmt} {len(data)}\n".encode() + data)
            process.stdin.flush()
            head = process.stdout.readline().split()
            if len(head) != 2 or head[0] not in (b"ok", b"error"):
                raise _Dead(f"exit {process.poll()}")
            out = process.stdout.read(int(head[1]))
            if len(out) != int(head[1]):
                raise _Dead(f"exit {process.poll()}")
        except (OSError, ValueError) as exc:
            raise _Dead(str(exc)) from exc
        finally:
            watchdog.cancel()
        return head[0] == b"ok", out

    def close(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


_idle: list[_Session] = []
_idle_lock = threading.Lock()


def _request(op: str, fmt: str, data: bytes, *, shown: str) -> bytes:
    """One request to an idle session (a new one when none is idle); errors as `_run`'s."""
    with _idle_lock:
        session = _idle.pop() if _idle else None
    try:
        if session is None:
            session = _Session()
        ok, out = session.call(op, fmt, data)
    except (OSError, _Dead) as exc:
        if session is not None:
            session.close()
        raise BitextError(f"pandoc could not run: {exc}", path=shown) from exc
    with _idle_lock:
        _idle.append(session)
    if not ok:
        raise BitextError(f"pandoc failed: {out.decode('utf-8', 'replace').strip()}",
                          path=shown)
    return out


@atexit.register
def close_sessions() -> None:
    """End every idle session (a busy one ends when its pipe closes with this process)."""
    with _idle_lock:
        sessions, _idle[:] = list(_idle), []
    for session in sessions:
        session.close()


def file_digest(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``paths`` (templates, styles, fonts), in order."""
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def files_identity(paths: list[Path]) -> str:
    """Names, sizes and modification times of ``paths``, hashed: cheap change detection."""
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
