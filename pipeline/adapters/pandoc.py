"""pandoc, from the pypandoc-binary wheel: Markdown -> JSON AST, JSON AST -> formats.

Source text is untrusted, so every run is locked down:

- the reader is `READER`: pandoc Markdown with raw HTML, raw TeX and raw
  attributes (`` `x`{=typst} ``) turned off, so ``<script>``, ``\\input{…}``
  and raw typst/HTML blocks arrive as ordinary text; citations are off too,
  so a handle (``@perspektif``) or ``[@doe2020]`` is text, not a citation;
- every run passes ``--sandbox``: readers and writers cannot read files or
  the network (an image path like ``../../etc/passwd`` is never fetched);
- writers read nothing but their JSON input.

One process parses one source (`parse_markdown`); `write_fragments` writes
several ASTs to one text format in a single process (pandoc start-up is most
of its cost): every HTML page and EPUB text of a document come from one run,
every typst source from another.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import BitextError

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
    out = _run(["-f", READER, "-t", "json"], text.encode("utf-8"), shown=shown)
    try:
        ast: dict[str, Any] = json.loads(out)
    except RecursionError:  # a translation (the original's depth is bounded at parse time)
        raise BitextError("nested too deeply to render (block quotes, lists or emphasis "
                          "inside one another, hundreds of levels)", path=shown) from None
    except ValueError as exc:  # pragma: no cover - pandoc always writes JSON here
        raise BitextError(f"pandoc returned no JSON: {exc}", path=shown) from exc
    return ast


def write_fragments(asts: list[dict[str, Any]], to: str, *, shown: str) -> list[str]:
    """Write each AST's blocks (no template) to ``to`` ("html" or "typst"), in one process.

    The ASTs are joined with a raw separator block, written once, and split
    again; the separator is raw markup of ``to`` that source text cannot
    produce (raw passthrough is off in the reader).
    """
    if not asts:
        return []
    separator = _SPLIT[to]
    blocks: list[Any] = []
    for i, ast in enumerate(asts):
        if i:
            blocks.append({"t": "RawBlock", "c": [to, separator]})
        blocks.extend(ast["blocks"])
    joined = {"pandoc-api-version": asts[0]["pandoc-api-version"], "meta": {}, "blocks": blocks}
    writer = "html5" if to == "html" else to
    args = ["-f", "json", "-t", writer, "--wrap=none"]
    data = json.dumps(joined, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out = _run(args, data, shown=shown).decode("utf-8")
    # each fragment without the line breaks around it, wherever it stood in the run
    parts = [part.strip("\n") for part in out.split("\n" + separator + "\n")]
    if len(parts) != len(asts):
        raise BitextError(f"pandoc split {len(asts)} fragments into {len(parts)}", path=shown)
    return parts


# Below this many bytes of input, a small heap: the bundled pandoc asks for 64 MiB
# (-H64m), and touching that much fresh memory costs a small run more than its GC saves
# (a document's parse: 43 ms of CPU instead of 55; a writer's JSON input, larger, gains
# from the big allocation area instead).
SMALL_INPUT = 64 * 1024


def _run(args: list[str], data: bytes, *, shown: str) -> bytes:
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
