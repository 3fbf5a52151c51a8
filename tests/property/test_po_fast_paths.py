"""The fast PO paths give what the reference paths give, byte for byte and field for field.

* reading: `po_read.read_plain` (one pass) against validate + polib (`parse_catalog_polib`),
  on the sample's catalogs, on generated catalogs with every string escape, and on PO text
  assembled from the line shapes gettext tools write, plain or not (then polib decides,
  errors included);
* writing: `render_catalog` with a `BlockMemo` against the same call without one, with the
  old text edited, rewrapped, or replaced behind the memo's back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.adapters import po, po_wrap
from pipeline.adapters.block_memo import BlockMemo
from pipeline.adapters.po_read import read_plain
from pipeline.catalog import Catalog, Entry
from pipeline.errors import BitextError

REPO = Path(__file__).resolve().parents[2]


def both(text: str) -> tuple[object, object]:
    """What the fast path and the reference make of ``text`` (a Catalog, or the error)."""
    def outcome(parse: object) -> object:
        try:
            return parse(text, shown="x.po")  # type: ignore[operator]
        except BitextError as exc:
            return ("error", exc.message, exc.line)
    return outcome(po.parse_catalog), outcome(po.parse_catalog_polib)


def test_the_sample_catalogs_are_read_by_the_fast_path_as_polib_reads_them() -> None:
    files = sorted((REPO / "locale").rglob("*.po*"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert read_plain(text) is not None, path  # else the comparison proves nothing
        fast, reference = both(text)
        assert fast == reference, path


# --- generated catalogs, as bitext writes them -----------------------------------------------

# Every escape bitext writes (and polib knows), characters polib would take for line ends,
# the escapes only gettext knows (octal, hex, \a: those files take polib's path).
CHARS = st.sampled_from([*"aışğ \"\\\n\t\r\b\f\v\a\x00é—…«»#:,|~", "\u2028", "\x85"])
text = st.lists(CHARS | st.text(min_size=1, max_size=12), max_size=12).map("".join)
line_text = text.map(lambda t: t.replace("\n", " "))


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    plural = draw(st.booleans()) and draw(st.integers(0, 4)) == 0
    fuzzy = draw(st.booleans())
    return Entry(
        msgid=draw(text.filter(bool)),
        msgstr="" if plural else draw(text),
        msgctxt=draw(st.none() | text),
        fuzzy=fuzzy,
        previous_msgid=draw(st.none() | text) if fuzzy else None,
        obsolete=draw(st.booleans()) and draw(st.booleans()),
        references=draw(st.lists(st.tuples(st.sampled_from(["a.md", "b c.md", "d:e.md"]),
                                           st.integers(0, 99)), max_size=3)),
        kind=draw(st.sampled_from(["", "paragraph", "footnote", "heading"])),
        label=draw(st.sampled_from(["", "xiv", "2"])),
        comments=draw(st.lists(line_text, max_size=2)),
        translator_comments=draw(st.lists(line_text, max_size=2)),
        flags=draw(st.lists(st.sampled_from(["no-wrap", "c-format", "python-format"]),
                            max_size=2, unique=True)),
        msgid_plural=draw(text.filter(bool)) if plural else "",
        msgstr_plural=dict(enumerate(draw(st.lists(text, min_size=2, max_size=3))))
        if plural else {},
    )


def unique(found: list[Entry]) -> list[Entry]:
    seen, out = set(), []
    for entry in found:
        if entry.obsolete or entry.key not in seen:
            seen.add(entry.key)
            out.append(entry)
    return out


catalogs = st.builds(
    lambda found, comment, wrap: (Catalog(
        header={"Project-Id-Version": "x", "Language": "en",
                "Content-Type": "text/plain; charset=UTF-8"},
        entries=[e for e in unique(found) if not e.obsolete],
        obsolete=[e for e in unique(found) if e.obsolete], header_comment=comment), wrap),
    st.lists(entries(), max_size=8), line_text, st.sampled_from([0, 79, 30]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs)
def test_generated_catalogs_read_the_same_by_both_paths(case: tuple[Catalog, int]) -> None:
    catalog, wrap = case
    written = po.render_catalog(catalog, wrap=wrap)
    fast, reference = both(written)
    assert fast == reference


def test_generated_catalogs_do_take_the_fast_path() -> None:
    entry = Entry(msgid='Bir "alıntı"\tve \\ ters\nbölü', msgstr="A\nB", kind="paragraph",
                  fuzzy=True, previous_msgid="eski\nmetin", references=[("a.md", 3)],
                  translator_comments=["", "not"], comments=["x"], flags=["no-wrap"])
    obsolete = Entry(msgid="gitti", msgstr="gone", obsolete=True, fuzzy=True,
                     previous_msgid="önce")
    plural = Entry(msgid="bir", msgid_plural="çok", msgstr_plural={0: "one", 1: "many"})
    for wrap in (0, 79, 20):
        written = po.render_catalog(Catalog(header={"Language": "en"}, entries=[entry, plural],
                                            obsolete=[obsolete], header_comment="Başlık\n"),
                                    wrap=wrap)
        assert read_plain(written) is not None, written
        fast, reference = both(written)
        assert fast == reference


# --- PO text from line shapes, plain or not ---------------------------------------------------

STRING = st.sampled_from(['"a"', '""', '"b\\n"', '"c \\"q\\" \\\\ \\t"', '"d\\x41"', '"e\\101"',
                          '"f\\a"', '"unterminated', '"bad \\q"', '"é ş"'])
LINE = st.one_of(
    st.builds(lambda k, s: f"{k} {s}", st.sampled_from(
        ["msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[0]", "msgstr[1]", "msgstr[10]",
         "#~ msgid", "#~ msgstr", "#| msgid", "#~| msgid", "#| msgctxt", "#~ #| msgid",
         "msgid\t", "#~msgid"]), STRING),
    STRING,
    st.builds(lambda s: f"#~ {s}", STRING),
    st.builds(lambda s: f"#| {s}", STRING),
    st.sampled_from(["#", "# note", "#  two", "#. paragraph", "#. footnote ii", "#.x", "#.",
                     "#: a.md:3 b.md", "#: :5 x: y:²", "#, fuzzy", "#, fuzzy, no-wrap", "#,",
                     "#,fuzzy", "##x", "#~", "#x", "", "  ", "msgid", "garbage",
                     "# trailing ", "\ufeff# bom", "#. changed: wording"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINE, max_size=14), st.booleans())
# a reference line number in a digit int() refuses: once a traceback (found by this test)
@example(lines=["#: :5 x: y:²", 'msgctxt "a"'], header=True)
def test_any_text_reads_the_same_by_both_paths(lines: list[str], header: bool) -> None:
    body = "\n".join(lines)
    text = ('msgid ""\nmsgstr "Language: en\\n"\n\n' + body) if header else body
    fast, reference = both(text)
    assert fast == reference


# --- the rendering memo ---------------------------------------------------------------------

def sample_catalog() -> tuple[Catalog, str]:
    path = REPO / "locale/en/LC_MESSAGES/article.po"
    text = path.read_text(encoding="utf-8")
    return po.parse_catalog(text, shown="article.po"), text


@pytest.mark.parametrize("wrap", [0, 79])
def test_the_memo_never_changes_a_byte(wrap: int) -> None:
    catalog, _ = sample_catalog()
    first = po.render_catalog(catalog, wrap=wrap)
    memo = BlockMemo()
    assert po.render_catalog(catalog, wrap=wrap, previous=first, memo=memo) == first
    assert len(memo.used) == len(catalog.entries) + len(catalog.obsolete)
    # An edit, a rewrap by another tool, an entry changed in the catalog: all behind the
    # memo's back. Each time the output is what rendering without it gives.
    edited = first.replace("msgstr \"", "msgstr \"X", 3)
    rewrapped = po.render_catalog(catalog, wrap=30 if wrap else 79)
    catalog.entries[2].msgstr += " (changed)"
    catalog.entries[5].fuzzy = not catalog.entries[5].fuzzy
    for previous in (first, edited, rewrapped, ""):
        hits = BlockMemo(dict(memo.used))
        expected = po.render_catalog(catalog, wrap=wrap, previous=previous)
        assert po.render_catalog(catalog, wrap=wrap, previous=previous, memo=hits) == expected


def test_the_memo_is_what_saves_the_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, _ = sample_catalog()
    first = po.render_catalog(catalog, wrap=79)
    memo = BlockMemo()
    po.render_catalog(catalog, wrap=79, previous=first, memo=memo)
    rendered = []
    real = po.GettextEntry.__unicode__

    def counting(self: po.GettextEntry, wrapwidth: int = 0) -> str:
        rendered.append(self.msgid)
        return real(self, wrapwidth)

    monkeypatch.setattr(po.GettextEntry, "__unicode__", counting)
    catalog.entries[3].msgstr += " (changed)"
    again = po.render_catalog(catalog, wrap=79, previous=first, memo=BlockMemo(memo.used))
    assert [m for m in rendered if m] == [catalog.entries[3].msgid]  # and the header
    assert again == po.render_catalog(catalog, wrap=79, previous=first)


# --- keep_unchanged: the loose prefilter against the plain comparison -----------------------

def _keep_unchanged_plain(blocks: list[str], previous: str) -> list[str]:
    """`keep_unchanged` as it was before the `_loose` prefilter: `_content` of every block."""
    old = po_wrap.blocks_of(previous)
    verbatim = set(blocks)
    kept: dict[str, str] = {}
    for block in old:
        if block not in verbatim:
            kept.setdefault(po_wrap._content(block), block)
    if kept:
        same = set(old)
        blocks = [block if block in same else kept.get(po_wrap._content(block), block)
                  for block in blocks]
    return blocks


def _mangled(text: str, how: int) -> str:
    """The old text as another tool or a hand might have left it."""
    if how == 1:  # trailing blanks
        return text.replace('"\n', '"  \n')
    if how == 2:  # an escape gettext reads as the same letter
        return text.replace('msgstr "a', 'msgstr "\\x61', 1).replace('"a uzun', '"\\x61 uzun', 1)
    if how == 3:  # something after a string's closing quote
        return text.replace('msgid ""\n"a ', 'msgid "" x\n"a ', 1)
    if how == 6:  # a tab as itself, not as gettext writes it
        return text.replace("\\t", "\t")
    if how == 4:  # references spread over lines
        return text.replace(" b c.md", "\n#: b c.md")
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.data())
def test_keep_unchanged_keeps_what_the_plain_comparison_keeps(
        case: tuple[Catalog, int], data: st.DataObject) -> None:
    catalog, wrap = case
    before = po.render_catalog(catalog, wrap=data.draw(st.sampled_from([0, 79, 30, 12])))
    previous = _mangled(before, data.draw(st.integers(0, 4)))
    for entry in catalog.entries + catalog.obsolete:
        if data.draw(st.booleans()):
            entry.msgstr = data.draw(text)
    blocks = po_wrap.blocks_of(po.render_catalog(catalog, wrap=wrap))
    assert po_wrap.keep_unchanged(blocks, previous) == _keep_unchanged_plain(blocks, previous)


def test_the_prefilter_spares_the_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    """After edits, only blocks whose loose forms match are compared whole."""
    catalog, previous = sample_catalog()
    for entry in catalog.entries[::3]:
        entry.msgstr += " (edited)"
    width, _ = po.wrap_for("keep", previous)
    blocks = po_wrap.blocks_of(po.render_catalog(catalog, wrap=width))
    calls = []
    real = po_wrap._content
    monkeypatch.setattr(po_wrap, "_content", lambda block: calls.append(block) or real(block))
    assert po_wrap.keep_unchanged(blocks, previous) == blocks
    assert calls == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.booleans())
def test_rendered_blocks_are_their_own_blocks_of(case: tuple[Catalog, int], fuzzy: bool) -> None:
    """What `render_dated` relies on to compare entries without splitting its text again."""
    catalog, wrap = case
    blocks = po._render_blocks(catalog, wrap=wrap, old=None, header_fuzzy=fuzzy, memo=None)
    assert all(isinstance(b, str) for b in blocks)  # no old file: every block rendered
    assert po_wrap.blocks_of("\n".join(map(str, blocks))) == [
        b if b.endswith("\n") else b + "\n" for b in map(str, blocks)]


LONG = "uzun bir cümle " * 8


@pytest.mark.parametrize("how", [0, 1, 2, 3, 4, 5, 6])
def test_rewrapped_entries_take_their_old_bytes_back(how: int) -> None:
    """Each unedited entry comes back as the old text had it, whatever another tool did."""
    catalog = Catalog(header={"Language": "en"}, entries=[
        Entry(msgid="a " + LONG, msgstr="a " + LONG, references=[("a.md", 1), ("b c.md", 2)]),
        Entry(msgid="b " + LONG, msgstr="b", fuzzy=True, previous_msgid="önceki " + LONG),
        Entry(msgid="c " + LONG, msgstr={5: '"alıntı" ', 6: "sekme\t"}.get(how, "") + LONG),
        Entry(msgid="d", msgstr="düzeltilecek"),
    ], obsolete=[Entry(msgid="e " + LONG, msgstr="e " + LONG, obsolete=True)])
    previous = _mangled(po.render_catalog(catalog, wrap=30), how)
    old = po_wrap.blocks_of(previous)
    catalog.entries[3].msgstr = "düzeltildi"
    blocks = po_wrap.blocks_of(po.render_catalog(catalog, wrap=79))
    assert all(b != o for b, o in zip(blocks[1:], old[1:], strict=True))  # all rewrapped
    kept = po_wrap.keep_unchanged(blocks, previous)
    assert kept == [*old[:4], blocks[4], old[5]]
    assert kept == _keep_unchanged_plain(blocks, previous)


@pytest.mark.parametrize("how", [0, 1, 2, 3, 4, 6])
def test_same_entries_sees_through_wrapping_and_spelling(how: int) -> None:
    """The date of a file only rewrapped, or respelled, is kept (`render_dated`)."""
    catalog = Catalog(header={"Language": "en"}, entries=[
        Entry(msgid="a " + LONG, msgstr="a " + LONG, references=[("a.md", 1), ("b c.md", 2)]),
        Entry(msgid="c " + LONG, msgstr=("sekme\t" if how == 6 else "") + LONG)])
    before = _mangled(po.render_catalog(catalog, wrap=30), how)
    after = po.render_catalog(catalog, wrap=79)
    assert po_wrap.same_entries(after, before)
    catalog.entries[1].msgstr += " düzeltildi"
    assert not po_wrap.same_entries(po.render_catalog(catalog, wrap=79), before)


@pytest.mark.parametrize("line", ['msgstr "a"b"', '"a"b"', 'msgid "x\\q"', '"x\\q"', 'msgstr "'])
def test_a_badly_quoted_string_is_left_to_the_reference(line: str) -> None:
    """The one-pass reader's shortcut for strings without escapes checks what the regex did."""
    if line.startswith("msgid"):
        text = f'msgid ""\nmsgstr ""\n\n{line}\nmsgstr "b"\n'
    elif line.startswith("msgstr"):
        text = f'msgid ""\nmsgstr ""\n\nmsgid "a"\n{line}\n'
    else:
        text = f'msgid ""\nmsgstr ""\n\nmsgid "a"\n{line}\nmsgstr "b"\n'
    assert read_plain(text) is None
    fast, reference = both(text)
    assert fast == reference


def test_loose_cuts_where_the_loose_pattern_does() -> None:
    """`_loose` splits on ``str.split()``'s white space: exactly ``\\s``, for every character."""
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue  # a lone surrogate is in no PO text read as UTF-8
        assert (len(f"a{char}b".split()) == 2) == bool(re.fullmatch(r"\s", char)), hex(code)
    block = 'msgid ""\n"a\u00a0b\u2003c: d|e~f#g"\nmsgstr "x\u3000y"\n'
    assert po_wrap._loose(block) == po_wrap._LOOSE.sub("", block)


@given(text, text)
def test_equal_inputs_have_one_digest_whatever_objects_hold_them(a: str, b: str) -> None:
    """The memo's key depends on values only: the same text in one object or two."""
    shared = a + b
    one = Entry(msgid=shared, msgstr=shared, references=[(shared, 1), (shared, 2)])
    two = Entry(msgid=a + b, msgstr="".join([a, b]), references=[(a + b, 1), ("".join([a, b]), 2)])
    assert po._inputs_digest(po._render_inputs(one), 79) == po._inputs_digest(
        po._render_inputs(two), 79)
    assert po._inputs_digest(po._render_inputs(one), 79) != po._inputs_digest(
        po._render_inputs(one), 78)


@given(st.text(alphabet='ab"\n\\ #', max_size=60))
def test_lines_are_split_lines(text: str) -> None:
    """`detect_wrap` reads lines one at a time: the same lines as splitting the text."""
    assert list(po_wrap._lines(text)) == text.split("\n")


def test_what_a_template_wrapped_is_handed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """`update` renders the template in a child; what it wrapped comes back with it, so the
    catalogs' child does not wrap the same msgids again. Remembered lines are the lines."""
    from pipeline.adapters.block_memo import BlockMemo
    from pipeline.adapters.update_document import _render_pot

    monkeypatch.setattr(po_wrap, "_WRAPPED", {})
    catalog, _ = sample_catalog()
    pot = Catalog(header={}, entries=catalog.entries)
    found = _render_pot(pot, None, 79, BlockMemo(), True)[3]
    long = [e.msgid for e in catalog.entries if len(e.msgid) > 80]
    assert long and all(("msgid", m, 79) in found for m in long)
    assert _render_pot(pot, None, 79, BlockMemo(), False)[3] == {}  # in-process: nothing
    monkeypatch.setattr(po_wrap, "_WRAPPED", {})
    po_wrap.remember_wrapped(found)
    assert all(po_wrap._wrapped(*key) == lines for key, lines in found.items())
    calls = []
    monkeypatch.setattr(po_wrap, "_wrapped", lambda *a: calls.append(a) or ("x",))
    po_wrap.wrapped("msgid", long[0], 79)
    assert calls == []  # remembered: not wrapped again
