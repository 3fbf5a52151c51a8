"""`bitext check`'s fast paths change no finding.

The fast paths: a document exactly as the last update left it is not segmented
(`pipeline.commands.check.TRUST_UPDATE_RECORD`); runs are kept slim; outcomes come
from the results cache (`pipeline.adapters.check_cache`). Every check runs with all
of them and with none on the sample (as shipped and after each kind of edit), on
the shared corpus's pairs (skipped when it is absent) and on publications
hypothesis makes; the four report formats must be the same, byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.commands import check as check_command
from pipeline.commands.update import update
from pipeline.config import load_config
from pipeline.errors import BitextError
from pipeline.report import FORMATS, render
from tests.conftest import CORPUS
from tests.e2e.test_update_fast_paths import corpus


def reports(root: Path, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(check_command, "TRUST_UPDATE_RECORD", fast)
    config = load_config(root)
    result = check_command.check(config, config.resolve_documents([]), [], slim=fast,
                                 cache=fast)
    return [render(result, fmt) for fmt in FORMATS]


def same_either_way(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reports with no fast path; asserts the fast ones (cache cold, then warm) equal them."""
    shutil.rmtree(root / ".bitext" / "check-cache.json", ignore_errors=True)
    slow = reports(root, fast=False, monkeypatch=monkeypatch)
    assert reports(root, fast=True, monkeypatch=monkeypatch) == slow
    assert reports(root, fast=True, monkeypatch=monkeypatch) == slow
    (root / ".bitext" / "check-cache.json").unlink(missing_ok=True)
    return slow


@pytest.fixture(autouse=True)
def _salt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PO = "locale/en/LC_MESSAGES/article.po"


def test_the_sample_and_its_edits(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = [same_either_way(sample, monkeypatch)]
    _edit(sample / "source/en/article.md", "October 3", "October 5")  # Markdown edited
    seen.append(same_either_way(sample, monkeypatch))
    update(load_config(sample), ["article"])  # taken in: update's record holds again
    seen.append(same_either_way(sample, monkeypatch))
    _edit(sample / PO, 'msgstr "Turkey’s Border Security"', 'msgstr "Turkey’s (Border 2"')
    seen.append(same_either_way(sample, monkeypatch))  # PO edited, Markdown behind
    update(load_config(sample), ["article"])
    seen.append(same_either_way(sample, monkeypatch))
    _edit(sample / "source/tr/article.md", "3 Ekim'de", "7 Ekim'de")  # original edited
    seen.append(same_either_way(sample, monkeypatch))
    update(load_config(sample), ["article"])  # now fuzzy
    seen.append(same_either_way(sample, monkeypatch))
    (sample / "source/en/article.md").unlink()  # translation missing
    seen.append(same_either_way(sample, monkeypatch))
    assert len(set(map(tuple, seen))) >= 5  # the edits did change the findings
    assert any("error numbers" in s[0] for s in seen)
    assert any("error out-of-sync" in s[0] for s in seen)
    assert any("warning fuzzy" in s[0] for s in seen)


def _first_update(root: Path, doc: str) -> bool:
    try:
        update(load_config(root), [doc])
    except BitextError:  # sides with different segments: `bitext align`'s business
        return False
    return True


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS} (not shipped)")
def test_the_shared_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = 0
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        root = corpus().corpus_publication(folder, tmp_path / folder.name, _first_update)
        found = same_either_way(root, monkeypatch)
        checked += found[0].count("\n") > 1
    assert checked  # some pair had findings


PARAGRAPHS = st.lists(st.sampled_from([
    "Toplam 1.500 kişi 3 Ekim 2021'de geldi.", "%50 arttı.", "Bkz. https://example.org/a.",
    "Yüzde 12,5 oranında.", "Dört milyon mülteci.", "“Alıntı” (parantez.", "Saat 14:30'da.",
    "Bir iki üç.", "`kod 42` burada.", "29.09.2021 tarihinde [^a] dedi.",
]), min_size=1, max_size=6)
TRANSLATIONS = st.lists(st.sampled_from([
    "In total 1,500 people came on October 3, 2021.", "It rose by 50%.",
    "See https://example.org/b.", "At a rate of 12.5 percent.", "Four million refugees.",
    "“Quote” (bracket.", "At 2:30 pm.", "One two three.", "`code 42` here.",
    "He said [^a] on 29 September 2021.", "1,600 people.",
]), min_size=1, max_size=6)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PARAGRAPHS, TRANSLATIONS, st.sampled_from(["none", "markdown", "po", "original"]))
def test_generated_publications(tmp_path_factory: pytest.TempPathFactory,
                                monkeypatch: pytest.MonkeyPatch, originals: list[str],
                                translations: list[str], edit: str) -> None:
    root = tmp_path_factory.mktemp("generated")
    (root / "bitext.toml").write_text('source_lang = "tr"\ntarget_langs = ["en"]\n',
                                      encoding="utf-8")
    n = min(len(originals), len(translations))
    for lang, texts in (("tr", originals[:n]), ("en", translations[:n])):
        notes = "".join(f"\n[^a]: {'Not' if lang == 'tr' else 'Note'}.\n"
                        for t in texts[:1] if any("[^a]" in x for x in texts))
        path = root / "source" / lang / "doc.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(texts) + "\n" + notes, encoding="utf-8")
    try:
        update(load_config(root), ["doc"])
    except BitextError:
        return  # the two sides do not pair (footnotes): nothing to check
    edited = {"markdown": root / "source/en/doc.md", "po": root / "locale/en/LC_MESSAGES/doc.po",
              "original": root / "source/tr/doc.md"}.get(edit)
    if edited is not None:  # after the update: a number more, where each side keeps its text
        text = edited.read_text(encoding="utf-8")
        at = text.rindex('"' if edit == "po" else ".")
        edited.write_text(text[:at] + " 77" + text[at:], encoding="utf-8")
    same_either_way(root, monkeypatch)


def test_a_slim_run_lets_go_of_each_catalog(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bitext check` keeps no catalog's entries once it is checked (2,000 files in the
    memory of one): every context it made is gone by the end, only the slim one is left."""
    import gc
    import weakref

    made: list[weakref.ref[object]] = []
    real = check_command._publication_context

    def watched(*args, **kw):  # type: ignore[no-untyped-def]
        ctx = real(*args, **kw)
        made.extend([weakref.ref(ctx), weakref.ref(ctx.entries[0])])
        return ctx

    monkeypatch.setattr(check_command, "_publication_context", watched)
    config = load_config(sample)
    result = check_command.check(config, ["article"], [], slim=True)
    gc.collect()
    assert made and all(ref() is None for ref in made)
    assert result.runs[0].context.entries == [] and result.runs[0].case_keys("entry")
    kept = check_command.check(config, ["article"], [])  # review's way: everything kept
    assert kept.runs[0].context.entries


def test_check_lets_go_of_each_catalogs_keys(sample: Path) -> None:
    """The entry keys' cache holds no msgid of a catalog already checked (2,000 documents:
    the memory of one)."""
    from pipeline.catalog import _entry_key

    config = load_config(sample)
    _entry_key.cache_clear()
    check_command.check(config, config.resolve_documents([]), [], slim=True, cache=False)
    assert _entry_key.cache_info().currsize == 0
