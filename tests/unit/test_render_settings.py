"""One BuildSettings per build: from the config and the flags, dated by the clock; and the
typed jobs the pool runs, which must pickle."""

from __future__ import annotations

import pickle
import re
import time
from pathlib import Path

import pytest

from pipeline.config import Config, validate
from pipeline.errors import BitextError
from pipeline.render.assets import PACKAGE, load_assets
from pipeline.render.jobs import CompileJob, HtmlJob, JobResult, TypstJob
from pipeline.render.metadata import PubDate
from pipeline.render.options import BuildOptions, Edition
from pipeline.render.settings import FIXED_EPOCH, BuildSettings, build_settings
from tests.unit.test_render_formats import langdocs

EPOCH = 1633046400  # 2021-10-01 00:00:00 UTC


def config(build: dict | None = None) -> Config:
    raw = {"source_lang": "tr", "target_langs": ["en", "de"], "footnote_style": "lower-roman",
           "build": build or {}}
    return validate(raw, root=Path("/pub"), config_file=Path("/pub") / "pyproject.toml")


def test_from_the_config_alone() -> None:
    got = build_settings(config({"paper": "a5", "release_threshold": 90}))
    assert (got.source_lang, got.target_langs, got.footnote_style) == ("tr", ("en", "de"),
                                                                        "lower-roman")
    assert got.options == BuildOptions(paper="a5", release_threshold=90.0)
    assert got.formats == ("html", "epub", "pdf")
    assert got.editions == ("tr", "en", "de", "bilingual")
    assert (got.release, got.draft) == (False, True)
    assert got.output_dir == Path("/pub/output")
    assert got.jobs >= 1


def test_the_config_chooses_formats_and_editions_and_flags_win() -> None:
    cfg = config({"formats": ["pdf"], "editions": ["en"]})
    assert (build_settings(cfg).formats, build_settings(cfg).editions) == (("pdf",), ("en",))
    got = build_settings(cfg, formats=("html", "epub"), editions=("bilingual",), release=True,
                         jobs=3)
    assert (got.formats, got.editions, got.release, got.draft, got.jobs) == (
        ("html", "epub"), ("bilingual",), True, False, 3)


def test_an_unknown_edition_is_refused() -> None:
    with pytest.raises(BitextError, match="unknown edition 'fr' \\(known: tr, en, de, "
                                          "bilingual\\)"):
        build_settings(config(), editions=("fr",))


def test_source_date_epoch_stamps_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    got = build_settings(config())
    assert got.source_date_epoch == EPOCH
    assert got.epoch(PubDate(2026, 11, 26)) == EPOCH  # the variable wins over any date
    assert got.epoch(None) == EPOCH


def test_without_source_date_epoch_the_clock_is_never_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(time, "time", lambda: 1790000000.5)  # 2026-09-21 14:13:20 UTC
    got = build_settings(config())
    assert got.source_date_epoch is None
    assert not hasattr(got, "today")
    # an edition's own date, at midnight UTC of its first day; a fixed 1980 when it has none
    assert got.epoch(PubDate(2026, 11, 26)) == 1795651200
    assert got.epoch(PubDate(2026, 11)) == 1793491200
    assert got.epoch(None) == FIXED_EPOCH == 315532800


def test_settings_are_frozen() -> None:
    settings = BuildSettings(source_lang="tr")
    with pytest.raises(AttributeError):
        settings.release = True  # type: ignore[misc]


def test_only_the_clock_reads_the_time_or_source_date_epoch() -> None:
    reads = re.compile(r"SOURCE_DATE_EPOCH\"|SOURCE_DATE_EPOCH'|time\.time\(|\.now\(|"
                       r"date\.today\(|time\.gmtime\(|time\.localtime\(|time\.strftime\(")
    offenders = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
                 if path.name != "clock.py" and reads.search(path.read_text("utf-8"))]
    assert offenders == []


def test_jobs_pickle_and_run_the_same_after() -> None:
    docs = langdocs()
    settings = BuildSettings(source_lang="tr", target_langs=("en",), source_date_epoch=EPOCH)
    assets = load_assets()
    single = (("d.en.html", Edition("d", "en", ("en",))),)
    books = (("d.tr-en.epub", Edition("d", "bilingual", ("tr", "en"))),)
    job = HtmlJob("d", single, books, docs, assets, settings, "x.md")
    copy = pickle.loads(pickle.dumps(job))
    assert copy == job
    assert copy.run().outputs == job.run().outputs
    typst = TypstJob("d", (("d.tr.pdf", Edition("d", "tr", ("tr",))),
                           ("d.en.pdf", Edition("d", "en", ("en",)))), docs, assets, settings,
                     "x.md")
    result = pickle.loads(pickle.dumps(typst)).run()
    # two PDFs: both handed back to compile side by side, nothing compiled yet
    assert result.outputs == {} and [c.name for c in result.then] == ["d.tr.pdf", "d.en.pdf"]
    assert {c.epoch for c in result.then} == {EPOCH}
    compile_job = pickle.loads(pickle.dumps(result.then[0]))
    assert isinstance(compile_job, CompileJob)
    done = compile_job.run()
    assert isinstance(done, JobResult) and done.then == []
    assert done.outputs[("d", "d.tr.pdf")].startswith(b"%PDF-")


def test_one_pdf_compiles_in_its_own_job() -> None:
    settings = BuildSettings(source_lang="tr", target_langs=("en",), source_date_epoch=EPOCH)
    job = TypstJob("d", (("d.tr-en.pdf", Edition("d", "bilingual", ("tr", "en"))),),
                   langdocs(), load_assets(), settings, "x.md")
    result = job.run()
    assert result.then == [] and list(result.outputs) == [("d", "d.tr-en.pdf")]
