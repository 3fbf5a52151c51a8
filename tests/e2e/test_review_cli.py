"""`bitext review`: the editors' page, on a small publication with real pandoc."""

from __future__ import annotations

import json
import re
import secrets
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters import pandoc
from pipeline.adapters.po import read_catalog
from pipeline.checks.suppress import suppression_comment
from pipeline.review_html import SCRIPT
from tests.e2e.test_build_security import HOSTILE
from tests.e2e.test_update_cli import EN, PO, TR, run

pytestmark = pytest.mark.e2e

MD = "source/en/doc.md"
PAGE = "output/doc/review.en.html"


class Page(HTMLParser):
    """Every element with its attributes; the rows; script and style bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.rows: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        if tag == "article":
            self.rows.append(found)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def comment_entry(root: Path, msgid: str, lines: list[str]) -> None:
    """Put translator comment lines (and flags) before the PO entry of ``msgid``."""
    po = root / PO
    text = po.read_text(encoding="utf-8")
    at = text.index(f'msgid "{msgid}"')
    start = text.rindex("\n\n", 0, at) + 2
    po.write_text(text[:start] + "".join(f"{c}\n" for c in lines) + text[start:],
                  encoding="utf-8")


@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    assert run(runner, root, "update")[0] == 0
    return root


@pytest.fixture
def edited(pub: Path, runner: CliRunner) -> Path:
    """One original paragraph edited, one footnote reference dropped, one machine draft."""
    edit(pub / "source/tr/doc.md", "İkinci paragraf 29 Eylül 2021'de değişti.",
         "İkinci paragraf 29 Eylül 2021'de yeniden ve *büyük ölçüde* değişti.")
    edit(pub / MD, "written in Istanbul.[^1]", "written in Istanbul.")
    assert run(runner, pub, "update")[0] == 0
    comment_entry(pub, "Üçüncü paragraf kısa.", ["# bitext-mt: libretranslate, 2026-11-30",
                                                "#, fuzzy"])
    assert run(runner, pub, "update")[0] == 0
    return pub


def keys(root: Path) -> list[str]:
    return [str(e.key) for e in read_catalog(root / PO, shown=PO).entries]


def test_review_writes_one_page_with_a_row_per_segment(edited: Path, runner: CliRunner) -> None:
    code, out = run(runner, edited, "review")
    assert code == 0, out
    assert f"wrote {PAGE} (6 segments, 66.7% translated, 3 to look at)" in out
    html = (edited / PAGE).read_text(encoding="utf-8")
    page = Page(html)
    # every segment once, keyed by its key; the footnote right after the paragraph citing it
    ids = [r["id"] for r in page.rows]
    assert sorted(ids) == sorted(keys(edited))
    entries = read_catalog(edited / PO, shown=PO).entries
    order = [e.msgid[:6] for e in sorted(entries, key=lambda e: ids.index(str(e.key)))]
    assert order == ["Küçük ", "Giriş", "İlk pa", "Bir di", "İkinci", "Üçüncü"]
    states = {e.msgid[:6]: r["data-state"] for e in entries for r in page.rows
              if r["id"] == str(e.key)}
    assert states == {"Küçük ": "translated", "Giriş": "translated", "İlk pa": "translated",
                      "Bir di": "translated", "İkinci": "fuzzy", "Üçüncü": "machine"}


def test_rows_render_markdown_as_the_edition_does(edited: Path, runner: CliRunner) -> None:
    assert run(runner, edited, "review")[0] == 0
    html = (edited / PAGE).read_text(encoding="utf-8")
    footnote = next(str(e.key) for e in read_catalog(edited / PO, shown=PO).entries
                    if e.kind == "footnote")
    # the reference is a superscript link to the footnote's row
    assert f'<sup><a href="#{footnote}" class="noteref">1</a></sup>' in html
    assert "<em>büyük ölçüde</em>" in html  # emphasis, in the original's side
    sides = re.findall(r'<div class="side [^"]*"[^>]*>(.*?)</div>', html, flags=re.S)
    assert len(sides) == 12
    assert not [s for s in sides if "[^" in s]  # every reference rendered


def test_fuzzy_row_shows_the_word_diff_and_change_kind(edited: Path, runner: CliRunner) -> None:
    assert run(runner, edited, "review")[0] == 0
    html = (edited / PAGE).read_text(encoding="utf-8")
    fuzzy = html[html.index('data-state="fuzzy"'):]
    fuzzy = fuzzy[:fuzzy.index("</article>")]
    assert "(wording)" in fuzzy
    assert "2021'de <ins>yeniden ve *büyük ölçüde* </ins>değişti." in fuzzy
    assert "The second paragraph changed on 29 September 2021." in fuzzy  # the old translation
    assert "source/tr/doc.md:10 · locale/en/LC_MESSAGES/doc.po:" in fuzzy


def test_findings_of_check_are_on_their_segment(edited: Path, runner: CliRunner) -> None:
    assert run(runner, edited, "review")[0] == 0
    html = (edited / PAGE).read_text(encoding="utf-8")
    first = html[html.index("İlk paragraf"):]
    first = first[:first.index("</article>")]
    assert "footnote-refs" in first and "sev-error" in first
    machine = html[html.index('data-state="machine"'):]
    machine = machine[:machine.index("</article>")]
    assert "by libretranslate, 2026-11-30" in machine
    assert 'data-checks="fuzzy"' in machine and "machine draft" in machine
    # summary: counts per state and per check, percent translated, words left
    head = html[:html.index("<main>")]
    assert "66.7% translated" in head
    assert 'footnote-refs</span> 1' in head
    assert "first problem" in head


def test_next_problem_links_chain_the_problem_rows(edited: Path, runner: CliRunner) -> None:
    assert run(runner, edited, "review")[0] == 0
    html = (edited / PAGE).read_text(encoding="utf-8")
    page = Page(html)
    problems = [r["id"] for r in page.rows if r["data-problem"] == "1"]
    assert len(problems) == 3
    links = [a["href"][1:] for t, a in page.elements if t == "a" and a.get("class") == "next"]
    assert links == problems  # first problem, then each problem row to the next


def test_json_prints_the_same_rows_and_writes_nothing(edited: Path, runner: CliRunner) -> None:
    code, out = run(runner, edited, "review", "--format", "json")
    assert code == 0, out
    pages = json.loads(out)
    assert not (edited / PAGE).exists()
    assert [p["target_lang"] for p in pages] == ["en"]
    rows = pages[0]["rows"]
    assert run(runner, edited, "review")[0] == 0
    html_ids = [r["id"] for r in Page((edited / PAGE).read_text(encoding="utf-8")).rows]
    assert [r["key"] for r in rows] == html_ids
    fuzzy = next(r for r in rows if r["state"] == "fuzzy")
    assert fuzzy["change"] == "wording"
    assert fuzzy["previous"] == "İkinci paragraf 29 Eylül 2021'de değişti."
    machine = next(r for r in rows if r["state"] == "machine")
    assert machine["machine"] == {"provider": "libretranslate", "date": "2026-11-30"}
    assert pages[0]["summary"]["checks"]["footnote-refs"] == 1


def test_pandoc_runs_twice_per_page_not_per_segment(
    edited: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real = pandoc._run

    def counting(args: list[str], data: bytes, *, shown: str) -> bytes:
        calls.append(args)
        return real(args, data, shown=shown)

    monkeypatch.setattr(pandoc, "_run", counting)
    assert run(runner, edited, "review")[0] == 0
    assert len(calls) == 2


def test_suppressed_finding_shows_its_reason(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "written in Istanbul.[^1]", "written in Istanbul.")
    assert run(runner, pub, "update")[0] == 0
    msgid = "İlk paragraf İstanbul'da yazıldı.[^1]"
    comment_entry(pub, msgid, ["# " + suppression_comment(["footnote-refs"], "the note moved",
                                                          msgid)])
    assert run(runner, pub, "update")[0] == 0
    code, out = run(runner, pub, "review", "--format", "json")
    assert code == 0, out
    row = next(r for r in json.loads(out)[0]["rows"] if r["original"] == msgid)
    assert row["findings"] == [] and row["suppressed"] is True
    assert row["suppressed_findings"][0]["reason"] == "the note moved"
    assert row["suppressions"] == [{"checks": ["footnote-refs"], "reason": "the note moved",
                                    "status": "active"}]
    assert run(runner, pub, "review")[0] == 0
    html = (pub / PAGE).read_text(encoding="utf-8")
    assert "suppressed: the note moved" in html and "b-suppressed" in html


def test_open_conflict_is_a_conflict_row(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "The third paragraph is short.", "Markdown says brief.")
    edit(pub / PO, 'msgstr "The third paragraph is short."', 'msgstr "PO says tiny."')
    assert run(runner, pub, "update")[0] == 1
    code, out = run(runner, pub, "review", "--format", "json")
    assert code == 0, out
    row = next(r for r in json.loads(out)[0]["rows"] if r["original"] == "Üçüncü paragraf kısa.")
    assert row["state"] == "conflict"
    assert row["conflict"] == "Markdown says brief."
    assert row["translation"] == "PO says tiny."


def test_stale_catalog_is_bad_input(pub: Path, runner: CliRunner) -> None:
    edit(pub / "source/tr/doc.md", "Üçüncü paragraf kısa.", "Başka bir paragraf.")
    code, out = run(runner, pub, "review")
    assert code == 2
    assert "run `bitext update`" in out


# --- untrusted text ---------------------------------------------------------------------------

EVIL_TRANSLATION = (
    "Script <script>alert(11)</script> [x](javascript:alert(12)) "
    "[y](JaVaScRiPt:alert(13)){onclick=\"alert(14)\"} ![p](https://evil.example/t.png) "
    "<img src=x onerror=alert(15)> `<script>`{=html} [z](#row) [w]{#__proto__}[^a]\n"
    ":::\n</article><script>alert(16)</script>\n::: {#f000000000000-0}\n"
    "[^a]: <iframe src=https://evil.example></iframe>"
)


def hostile_publication(project, runner: CliRunner, tmp_path: Path,  # type: ignore[no-untyped-def]
                        translation: str) -> tuple[Path, str]:
    """The editions' injection set as the original, ``translation`` as every translation
    (updated in); and the secret token a leak would show."""
    token = "SECRET-" + secrets.token_hex(8)
    secret = tmp_path / "secret.txt"
    secret.write_text(token + "\n", encoding="utf-8")
    root = project({"source/tr/evil.md": HOSTILE.format(secret=secret,
                                                        secret_rel="../../secret.txt")})
    assert run(runner, root, "update")[0] == 0
    po = root / "locale/en/LC_MESSAGES/evil.po"
    text = po.read_text(encoding="utf-8")
    evil = json.dumps(translation, ensure_ascii=False)
    text = re.sub(r'^msgstr ""$', lambda m: f"msgstr {evil}", text, flags=re.M)
    text = text.replace(f"msgstr {evil}", 'msgstr ""', 1)  # the header stays
    po.write_text(text, encoding="utf-8")
    assert run(runner, root, "update")[0] in (0, 1)
    return root, token


@pytest.fixture
def hostile(project, runner: CliRunner, tmp_path: Path) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    root, token = hostile_publication(project, runner, tmp_path, EVIL_TRANSLATION)
    code, out = run(runner, root, "review")
    assert code == 0, out
    return root, token


def test_nothing_in_either_language_becomes_active(hostile: tuple[Path, str]) -> None:
    root, token = hostile
    html = (root / "output/evil/review.en.html").read_text(encoding="utf-8")
    assert "alert(1" in html  # the texts are there, as text
    assert_inert(html, token, script=SCRIPT)


def assert_inert(html: str, token: str, *, script: str, local_links: bool = False,
                 no_forms: bool = False) -> None:
    """Nothing in ``html`` runs, loads or submits: bitext's one inline ``script`` only, no
    active tag or attribute, links to anchors or the web (and the page's own server's paths
    with ``local_links``), and the hostile token nowhere. The editor's page is held to it too,
    with ``no_forms`` (the review page has its own filter form; the editor's has none).
    """
    page = Page(html)
    assert page.scripts == [script]  # bitext's one inline script, nothing else
    tags = {t for t, _ in page.elements}
    assert not tags & {"iframe", "img", "object", "embed", "link", "base", "video", "audio",
                       "source", "svg", "math", *(("form", "input") if no_forms else ())}
    links = ("#", "https://", "http://", "mailto:", *(("/",) if local_links else ()))
    for tag, attrs in page.elements:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction", "srcset", "poster", "data"):
            value = attrs.get(name, "")
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (tag, attrs)
            if name != "href":
                assert not value, (tag, attrs)
        href = attrs.get("href", "")
        assert not href or href.startswith(links), href
        if tag == "meta" and attrs.get("http-equiv"):
            assert "script-src 'sha256-" in attrs["content"]
    assert token not in html


def test_row_ids_are_keys_and_unique_even_with_hostile_ids(hostile: tuple[Path, str]) -> None:
    root, _ = hostile
    page = Page((root / "output/evil/review.en.html").read_text(encoding="utf-8"))
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))
    entries = read_catalog(root / "locale/en/LC_MESSAGES/evil.po",
                           shown="evil.po").entries
    assert sorted(r["id"] for r in page.rows) == sorted(str(e.key) for e in entries)
