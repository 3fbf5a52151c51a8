"""The review page's pure part: rows from entries and findings, the diff, the HTML and JSON."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from pipeline.catalog import Entry
from pipeline.checks.model import Finding
from pipeline.checks.suppress import suppression_comment
from pipeline.render.fragments import fragment_asts, fragment_source
from pipeline.review import Page, note_targets, page_json, review_rows, state_of, word_diff
from pipeline.review_html import SCRIPT, render_html

SRC = "source/tr/doc.md"


def entry(msgid: str, msgstr: str = "", line: int = 1, **kw: object) -> Entry:
    return Entry(msgid=msgid, msgstr=msgstr, line=line * 5, references=[(SRC, line)],
                 kind=str(kw.pop("kind", "paragraph")), **kw)  # type: ignore[arg-type]


def finding(e: Entry, check: str, message: str, severity: str = "error",
            reason: str = "") -> Finding:
    return Finding(check=check, severity=severity, document="doc", lang="en", file="doc.po",
                   line=e.line, source_file=SRC, source_line=1, message=message,
                   reason=reason, key=e.key)


def entries() -> list[Entry]:
    return [
        entry("Başlık", "Title", 1, kind="heading", label="2"),
        entry("Bir paragraf[^a] burada.", "A paragraph[^a] here.", 3),
        entry("Yeni metin uzun.", "Old text.", 5, fuzzy=True, previous_msgid="Eski metin uzun."),
        entry("Makine.", "Machine.", 7, fuzzy=True,
              translator_comments=["bitext-mt: deepl, 2026-11-30"]),
        entry("Boş kaldı.", "", 9),
        entry("Not metni.", "Note text.", 11, kind="footnote", label="a"),
    ]


def test_states() -> None:
    assert [state_of(e) for e in entries()] == [
        "translated", "translated", "fuzzy", "machine", "untranslated", "translated"]
    assert state_of(entries()[0], conflict=True) == "conflict"


def test_rows_are_keyed_and_a_footnote_follows_its_first_reference() -> None:
    es = entries()
    rows, general = review_rows(es, [])
    assert [r.key for r in rows] == [str(es[i].key) for i in (0, 1, 5, 2, 3, 4)]
    assert rows[2].note_of == rows[1].key
    assert general == []
    assert note_targets(rows) == {"a": "#" + str(es[5].key)}


def test_an_unreferenced_footnote_stays_in_place() -> None:
    es = [entry("Bir.", "One.", 1), entry("Not.", "Note.", 3, kind="footnote", label="z"),
          entry("İki.", "Two.", 5)]
    rows, _ = review_rows(es, [])
    assert [r.original for r in rows] == ["Bir.", "Not.", "İki."]
    assert rows[1].note_of is None


def test_a_footnote_defined_before_its_reference_moves_after_it() -> None:
    es = [entry("Not.", "Note.", 1, kind="footnote", label="a"), entry("Bir[^a].", "One[^a].", 3)]
    rows, _ = review_rows(es, [])
    assert [r.original for r in rows] == ["Bir[^a].", "Not."]


def test_fuzzy_row_has_previous_msgid_and_change_kind() -> None:
    rows, _ = review_rows(entries(), [])
    fuzzy = next(r for r in rows if r.state == "fuzzy")
    assert (fuzzy.previous, fuzzy.change) == ("Eski metin uzun.", "wording")
    machine = next(r for r in rows if r.state == "machine")
    assert machine.machine == ("deepl", "2026-11-30")
    assert machine.previous is None


def test_findings_go_to_their_row_and_whole_catalog_ones_to_the_page() -> None:
    es = entries()
    whole = Finding(check="out-of-sync", severity="error", document="doc", lang="en",
                    file="doc.po", line=None, source_file=None, source_line=None,
                    message="stale", key=None)
    rows, general = review_rows(es, [finding(es[1], "numbers", "1 vs 2"), whole])
    row = next(r for r in rows if r.key == str(es[1].key))
    assert [(i.check, i.message) for i in row.findings] == [("numbers", "1 vs 2")]
    assert [i.check for i in general] == ["out-of-sync"]
    assert sum(bool(r.findings) for r in rows) == 1


def test_suppressions_show_their_reason_and_whether_they_apply() -> None:
    current = entry("Sayı 1,5.", "Number 1.5.", 1, translator_comments=[
        suppression_comment(["numbers"], "rounded", "Sayı 1,5."),
        suppression_comment(["urls"], "old one", "another original"),
        "bitext-ignore: nosuch -- why [00000000]",
    ])
    rows, _ = review_rows([current], [], [finding(current, "numbers", "x", reason="rounded")])
    row = rows[0]
    assert [(s.checks, s.reason, s.status) for s in row.silences] == [
        (("numbers",), "rounded", "active"), (("urls",), "old one", "expired"),
        (("nosuch",), "why", "invalid")]
    assert [i.reason for i in row.suppressed] == ["rounded"]
    assert row.findings == [] and not row.problem


def test_conflict_state_and_text() -> None:
    es = entries()
    rows, _ = review_rows(es, [], conflicts={str(es[1].key): "Markdown version"})
    row = next(r for r in rows if r.key == str(es[1].key))
    assert (row.state, row.conflict) == ("conflict", "Markdown version")


def test_summary_counts() -> None:
    es = entries()
    rows, general = review_rows(es, [finding(es[1], "numbers", "m")])
    page = Page("doc", "tr", "en", "doc.po", rows, general)
    s = page.summary
    assert s["states"] == {"translated": 3, "fuzzy": 1, "machine": 1, "untranslated": 1,
                           "conflict": 0}
    assert s["percent"] == 50.0
    assert s["words_left"] == 3 + 1 + 2  # fuzzy, machine, untranslated originals
    assert s["checks"] == {"numbers": 1}
    assert s["problems"] == 4


def test_word_diff_marks_words_and_escapes() -> None:
    assert word_diff("bir iki üç", "bir dört üç") == "bir <del>iki</del><ins>dört</ins> üç"
    assert word_diff("a <b>", "a <i>") == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"
    long = " ".join(f"w{i}" for i in range(60))
    diff = word_diff(long, long.replace("w30", "X"), context=3)
    assert diff == ('<span class="gap">…</span> w27 w28 w29 <del>w30</del><ins>X</ins>'
                    ' w31 w32 w33 <span class="gap">…</span>')


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data


def hostile_page() -> Page:
    es = entries()
    evil = '<script>alert(1)</script>" onmouseover="x'
    rows, general = review_rows(es, [finding(es[1], "markup", evil)],
                                [finding(es[2], "urls", "u", reason=evil)])
    for r in rows:  # what the fragments would hold: already safe HTML
        r.original_html, r.translation_html = "<p>o</p>", "<p>t</p>"
    rows[0].original = evil
    return Page("doc<script>", "tr", "en", "doc.po", rows, general)


def test_html_escapes_everything_but_the_rendered_fragments() -> None:
    html = render_html(hostile_page())
    page = Tags(html)
    assert page.scripts == [SCRIPT]
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert f"script-src 'sha256-{digest}'" in (csp or "") and "default-src 'none'" in (csp or "")


def test_html_rows_filters_and_next_links() -> None:
    page = hostile_page()
    tags = Tags(render_html(page)).tags
    rows = [a for t, a in tags if t == "article"]
    assert [a["id"] for a in rows] == [r.key for r in page.rows]
    assert [a["data-state"] for a in rows] == [r.state for r in page.rows]
    form = next(a for t, a in tags if t == "form")
    assert "hidden" in form  # without script the filters are not shown
    problems = [r.key for r in page.rows if r.problem]
    nexts = [a["href"] for t, a in tags if t == "a" and a.get("class") == "next"]
    assert nexts == ["#" + k for k in problems]  # first problem, then each to the next


def test_json_has_the_rows_of_the_page() -> None:
    page = hostile_page()
    data = page_json(page)
    assert [r["key"] for r in data["rows"]] == [r.key for r in page.rows]
    fuzzy = next(r for r in data["rows"] if r["state"] == "fuzzy")
    assert fuzzy["previous"] == "Eski metin uzun." and fuzzy["change"] == "wording"
    assert data["summary"]["segments"] == 6


# --- fragments: one Markdown document, cut back into one AST per text ------------------------

def _div(ident: str, blocks: list[object]) -> dict[str, object]:
    return {"t": "Div", "c": [[ident, [], []], blocks]}


def _para(*inlines: object) -> dict[str, object]:
    return {"t": "Para", "c": list(inlines)}


def _str(value: str) -> dict[str, object]:
    return {"t": "Str", "c": value}


def test_fragment_source_escapes_lines_that_would_reach_other_texts() -> None:
    source = fragment_source(["a\n:::\nb", "```\nc", "[^x]: d", "[r]: https://e", "ok[^x]"])
    assert "\n\\:::\nb" in source.markdown
    assert "\n\\```\nc" in source.markdown
    assert "\n\\[^x]: d" in source.markdown and "\n\\[r]: https://e" in source.markdown
    assert source.labels == ("x",)
    assert re.findall(r"^::: \{#f(\w+)-(\d)\}$", source.markdown, re.M) == [
        (source.nonce, str(i)) for i in range(5)]


def test_fragment_asts_cut_sanitise_and_turn_notes_into_links() -> None:
    texts = ["one", "two"]
    source = fragment_source(texts)
    n = source.nonce
    note = {"t": "Note", "c": [_para(_str(f"n{n}x0"))]}
    bad = {"t": "Link", "c": [["", [], [["onclick", "x"]]], [_str("l")], ["javascript:x", ""]]}
    ast = {"pandoc-api-version": [1, 23], "blocks": [
        _div(f"f{n}-0", [_para(_str("one"), note)]),
        _div(f"f{n}-1", [_para(bad, {"t": "Span", "c": [["mine", [], []], [_str("s")]]})]),
    ]}
    source = type(source)(source.markdown, n, 2, ("a",))
    out = fragment_asts(ast, source, texts, {"a": "#k"})
    assert out.broken == set()
    first = out.asts[0]["blocks"][0]["c"]
    assert first[1] == {"t": "Superscript", "c": [
        {"t": "Link", "c": [["", ["noteref"], []], [_str("a")], ["#k", ""]]}]}
    second = out.asts[1]["blocks"][0]["c"]
    assert second[0] == {"t": "Span", "c": [["", [], []], [_str("l")]]}  # no target, no onclick
    assert second[1]["c"][0][0] == ""  # identifiers go: they would clash with row ids


def test_a_text_that_leaves_its_div_is_shown_as_plain_text() -> None:
    texts = ["one", "two", "three"]
    source = fragment_source(texts)
    n = source.nonce
    ast = {"pandoc-api-version": [1, 23], "blocks": [
        _div(f"f{n}-0", [_para(_str("one"))]),
        _para(_str("escaped")),  # text 0 leaked a block
        _div(f"f{n}-1", [_para(_str("two")), _div(f"f{n}-2", [])]),  # 1 swallowed 2
    ]}
    out = fragment_asts(ast, source, texts)
    assert out.broken == {0, 1, 2}
    assert [a["blocks"] for a in out.asts] == [[_para(_str(t))] for t in texts]
