"""Paths from the disk and the command line: no link out of the publication, one rule for names.

Every refusal is one message naming the file, exit status 2, no traceback, nothing written
(inside the publication or where a link points).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from pipeline.config import Config, load_config
from pipeline.errors import BitextError

pytestmark = pytest.mark.e2e

DOC = "---\ntitle: Yazı\n---\n\nBir paragraf.\n\nİkinci paragraf.\n"
Project = Callable[[dict[str, str]], Path]


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def tree(*folders: Path) -> dict[str, bytes]:
    """Every file (and link) under the folders, with its content (a link: its target).

    The lock file, which a writing run leaves (empty) as it found the publication, is not
    counted.
    """
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name == ".bitext.lock":
                continue
            if path.is_symlink():
                out[str(path)] = os.readlink(path).encode()
            elif path.is_file():
                out[str(path)] = path.read_bytes()
            else:
                out[str(path)] = b"<dir>"
    return out


def shown(name: str) -> str:
    """A name as messages show it: what cannot be printed, escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)


def refused(result: Result, path: str, *words: str) -> str:
    """The one error line of a refusal: exit 2, no traceback, the file named first."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path}: "), result.output
    for word in words:
        assert word in lines[0], result.output
    return lines[0]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the publication, with a file that must never be read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text("SECRET-TOKEN paragraph.\n", encoding="utf-8")
    return folder


@pytest.fixture
def pub(project: Project, tmp_path: Path) -> Path:
    root = project({"pub/source/tr/doc.md": DOC}) / "pub"
    (root / "bitext.toml").write_text((tmp_path / "bitext.toml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    (tmp_path / "bitext.toml").unlink()
    return root


# --- 1. symbolic links ---------------------------------------------------------------------

COMMANDS = [("update",), ("status",), ("check",), ("build", "--to", "html"),
            ("align", "--doc", "evil"), ("translate", "--provider", "libre", "--url",
                                         "http://127.0.0.1:9")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_source_linked_out_of_the_publication_is_refused_by_every_command(
        pub: Path, outside: Path, command: tuple[str, ...]) -> None:
    (pub / "source" / "tr" / "evil.md").symlink_to(outside / "secret.md")
    if command[0] == "align":
        (pub / "source" / "en").mkdir()
        (pub / "source" / "en" / "evil.md").write_text("One paragraph.\n", encoding="utf-8")
    before = tree(pub, outside)
    line = refused(run(pub, *command), "source/tr/evil.md", "symbolic link", "outside")
    assert "SECRET" not in line
    assert tree(pub, outside) == before


def test_update_and_build_name_the_linked_document_on_the_command_line(
        pub: Path, outside: Path) -> None:
    (pub / "source" / "tr" / "evil.md").symlink_to(outside / "secret.md")
    before = tree(pub, outside)
    for command in (("update", "evil"), ("build", "evil")):
        refused(run(pub, *command), "source/tr/evil.md", "symbolic link")
    assert tree(pub, outside) == before


def test_a_linked_locale_folder_is_refused_before_update_writes(pub: Path, outside: Path) -> None:
    (pub / "locale").mkdir()
    (pub / "locale" / "en").symlink_to(outside, target_is_directory=True)
    before = tree(pub, outside)
    refused(run(pub, "update"), "locale/en/LC_MESSAGES/doc.po", "locale/en", "symbolic link")
    assert tree(pub, outside) == before
    assert not (outside / "LC_MESSAGES").exists()
    for command in (("status",), ("check",), ("build", "--to", "html")):
        refused(run(pub, *command), "locale/en/LC_MESSAGES/doc.po", "symbolic link")
    assert tree(pub, outside) == before


def test_a_linked_translation_is_refused(pub: Path, outside: Path) -> None:
    (pub / "source" / "en").mkdir()
    (pub / "source" / "en" / "doc.md").symlink_to(outside / "secret.md")
    before = tree(pub, outside)
    refused(run(pub, "update"), "source/en/doc.md", "symbolic link")
    assert tree(pub, outside) == before


def test_a_linked_sync_state_is_refused(pub: Path, outside: Path) -> None:
    assert run(pub, "update").exit_code == 0
    state = pub / "locale" / "en" / "LC_MESSAGES" / "doc.sync.json"
    state.unlink()
    state.symlink_to(outside / "secret.md")
    (pub / "source" / "tr" / "doc.md").write_text(DOC + "\nÜçüncü.\n", encoding="utf-8")
    before = tree(pub, outside)
    refused(run(pub, "update"), "locale/en/LC_MESSAGES/doc.sync.json", "symbolic link")
    assert tree(pub, outside) == before


@pytest.mark.parametrize("stats", ["remembered", "none"])
@pytest.mark.parametrize("name", ["locale/en/LC_MESSAGES/doc.sync.json",
                                  "locale/en/LC_MESSAGES/doc.po", "source/en/doc.md",
                                  "locale/doc.pot"])
def test_a_file_a_no_op_remembers_replaced_by_a_link_to_its_copy_is_refused(
        pub: Path, outside: Path, name: str, stats: str) -> None:
    """Followed, the link would give the same bytes and the no-op would pass: the no-op
    looks at a remembered file unchecked, and a link never looks remembered."""
    assert run(pub, "update").exit_code == 0
    assert run(pub, "update").output.splitlines()[-1] == "nothing changed"
    if stats == "none":
        (pub / ".bitext" / "update-stats.json").unlink()
    path = pub / name
    copy = outside / path.name
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy)
    refused(run(pub, "update"), name, "symbolic link")


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_build_refuses_a_linked_output_before_writing_anything(
        pub: Path, outside: Path, linked: str) -> None:
    assert run(pub, "update").exit_code == 0
    folder = pub / "output" / "doc"
    if linked == "file":
        folder.mkdir(parents=True)
        # sorted after doc.tr.html, which the build wrote first before
        (folder / "doc.tr-en.html").symlink_to(outside / "secret.md")
        shown = "output/doc/doc.tr-en.html"
    else:
        (pub / "output").mkdir()
        folder.symlink_to(outside, target_is_directory=True)
        shown = "output/doc"
    before = tree(pub, outside)
    refused(run(pub, "build", "--to", "html"), shown, "symbolic link")
    assert tree(pub, outside) == before
    assert [p.name for p in pub.rglob("*.html")] == (["doc.tr-en.html"] if linked == "file"
                                                      else [])


def test_a_link_inside_the_publication_is_refused_unless_allowed(
        pub: Path, outside: Path) -> None:
    drafts = pub / "drafts"
    drafts.mkdir()
    (pub / "source" / "tr" / "doc.md").rename(drafts / "doc.md")
    (pub / "source" / "tr" / "doc.md").symlink_to("../../drafts/doc.md")
    before = tree(pub, outside)
    line = refused(run(pub, "update"), "source/tr/doc.md", "symbolic link", "allow_symlinks")
    assert "outside" not in line
    assert tree(pub, outside) == before
    config = pub / "bitext.toml"
    config.write_text(config.read_text(encoding="utf-8") + "allow_symlinks = true\n",
                      encoding="utf-8")
    assert run(pub, "update").exit_code == 0
    assert (pub / "locale" / "en" / "LC_MESSAGES" / "doc.po").is_file()
    assert run(pub, "build", "--to", "html").exit_code == 0
    assert (pub / "output" / "doc" / "doc.tr.html").is_file()
    # allowed or not, a link out of the publication is never followed
    (pub / "source" / "tr" / "evil.md").symlink_to(outside / "secret.md")
    before = tree(pub, outside)
    refused(run(pub, "update"), "source/tr/evil.md", "outside")
    refused(run(pub, "build"), "source/tr/evil.md", "outside")
    assert tree(pub, outside) == before


def test_a_linked_folder_inside_the_publication_is_refused_unless_allowed(pub: Path) -> None:
    (pub / "source" / "tr").rename(pub / "originals")
    (pub / "source" / "tr").symlink_to("../originals", target_is_directory=True)
    refused(run(pub, "update"), "source/tr", "symbolic link", "allow_symlinks")
    config = pub / "bitext.toml"
    config.write_text(config.read_text(encoding="utf-8") + "allow_symlinks = true\n",
                      encoding="utf-8")
    result = run(pub, "update")
    assert result.exit_code == 0, result.output


def test_a_linked_configured_folder_is_refused_unless_allowed(pub: Path, outside: Path) -> None:
    (pub / "source").rename(pub / "real-source")
    (pub / "source").symlink_to("real-source", target_is_directory=True)
    config = pub / "bitext.toml"
    result = run(pub, "update")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "'source_dir'" in result.output and "symbolic link" in result.output
    config.write_text(config.read_text(encoding="utf-8") + "allow_symlinks = true\n",
                      encoding="utf-8")
    assert run(pub, "update").exit_code == 0
    (pub / "source").unlink()
    (pub / "source").symlink_to(outside, target_is_directory=True)
    result = run(pub, "update")
    assert result.exit_code == 2 and "outside the publication" in result.output


def test_allow_symlinks_must_be_a_boolean(pub: Path) -> None:
    config = pub / "bitext.toml"
    config.write_text(config.read_text(encoding="utf-8") + "allow_symlinks = 'yes'\n",
                      encoding="utf-8")
    result = run(pub, "status")
    assert result.exit_code == 2
    assert "'allow_symlinks': expected true or false, got str 'yes'" in result.output


# --- 2. document names ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["yazı", "my doc", "Çalışma_2.taslak-1", "日本語"])
def test_a_name_listed_from_disk_is_accepted_on_the_command_line(pub: Path, name: str) -> None:
    (pub / "source" / "tr" / f"{name}.md").write_text(DOC, encoding="utf-8")
    result = run(pub, "update", name)
    assert result.exit_code == 0, result.output
    assert (pub / "locale" / "en" / "LC_MESSAGES" / f"{name}.po").is_file()
    assert run(pub, "status", name).exit_code == 0
    result = run(pub, "build", name, "--to", "html")
    assert result.exit_code == 0, result.output
    assert (pub / "output" / name / f"{name}.tr-en.html").is_file()


@pytest.mark.parametrize(("name", "why"), [
    ("a\x01b", "not allowed"),
    ("notlar (taslak)", "'('"),
    ("-x", "must start with"),
    ("a..b", ".."),
    ("a\u00a0b", "not allowed"),
    (unicodedata.normalize("NFD", "yazı-ç"), "NFC"),
    ("é" * 120, "bytes"),
])
def test_a_file_that_breaks_the_rule_is_reported(pub: Path, name: str, why: str) -> None:
    try:
        (pub / "source" / "tr" / f"{name}.md").write_text(DOC, encoding="utf-8")
    except OSError:  # pragma: no cover - a file system that refuses the name itself
        pytest.skip("the file system refuses this name")
    before = tree(pub)
    for command in (("update",), ("status",), ("build",), ("check",)):
        refused(run(pub, *command), f"source/tr/{shown(name)}.md", "document name", why)
    result = run(pub, "update", "--", name)  # typed: no file to name, the name is the thing
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: document name {name!r} ")
    assert why in result.output and len(result.output.splitlines()) == 1
    assert tree(pub) == before


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "x" * 300, "doc.md", " doc", "doc "])
def test_a_bad_name_on_the_command_line_is_refused(pub: Path, name: str) -> None:
    before = tree(pub)
    result = run(pub, "update", "--", name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "document name" in result.output
    assert len(result.output.splitlines()) == 1
    assert tree(pub) == before


def test_hidden_files_are_not_documents(pub: Path) -> None:
    (pub / "source" / "tr" / ".#doc.md").symlink_to("user@host.1234")  # an editor's lock
    (pub / "source" / "tr" / "._doc.md").write_bytes(b"\x00\x05\x16\x07")  # a Mac's fork
    result = run(pub, "update")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (pub / "locale" / "en" / "LC_MESSAGES").iterdir()) == [
        "doc.po", "doc.sync.json"]


def test_the_longest_name_allowed_gives_file_names_every_file_system_takes(pub: Path) -> None:
    config = load_config(pub)
    longest = config.max_name_bytes
    name = "ş" * (longest // 2) + "a" * (longest % 2)
    assert len(name.encode()) == longest
    (pub / "source" / "tr" / f"{name}.md").write_text(DOC, encoding="utf-8")
    result = run(pub, "update", name)
    assert result.exit_code == 0, result.output
    result = run(pub, "build", name)
    assert result.exit_code == 0, result.output
    assert len([p for p in (pub / "output" / name).iterdir() if p.name.startswith(name)]) == 9
    (pub / "source" / "tr" / f"{name}.md").write_text(DOC + "\nÜç.\n", encoding="utf-8")
    assert run(pub, "update", name).exit_code == 0  # temporary files beside every output
    longer = name + "a"
    (pub / "source" / "tr" / f"{longer}.md").write_text(DOC, encoding="utf-8")
    refused(run(pub, "update"), f"source/tr/{longer}.md", f"at most {longest} bytes")


# --- 3. and 4. the configuration file --------------------------------------------------------

def test_a_config_that_is_not_utf8_names_its_line_and_byte(pub: Path) -> None:
    (pub / "bitext.toml").write_bytes(b'source_lang = "tr"\n# \xfcber\ntarget_langs = ["en"]\n')
    result = run(pub, "status")
    assert result.exit_code == 2
    assert result.output == ("Error: bitext.toml:2: not valid UTF-8 (byte 0xfc); "
                             "save the file as UTF-8\n")


@pytest.mark.parametrize(("toml", "key", "variable"), [
    ('api_key = "s3cret"\n', "'api_key'", "DEEPL_API_KEY"),
    ('[translate]\nprovider = "deepl"\napi_key = "s3cret"\n', "'translate.api_key'",
     "DEEPL_API_KEY"),
    ('[translate]\nlibre_token = "s3cret"\n', "'translate.libre_token'", "LIBRE_API_KEY"),
    ('[translate]\nprovider = "mymemory"\nemail = "a@b.c"\n', "'translate.email'",
     "MYMEMORY_EMAIL"),
    ('[build]\nsecret = "s3cret"\n', "'build.secret'", "environment"),
])
@pytest.mark.parametrize("command", ["update", "status", "check", "build", "translate"])
def test_a_secret_in_the_config_is_refused_by_every_command(
        pub: Path, toml: str, key: str, variable: str, command: str) -> None:
    config = pub / "bitext.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(toml + text if not toml.startswith("[") else text + toml, encoding="utf-8")
    before = tree(pub)
    result = run(pub, command)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{key}: " in result.output and variable in result.output, result.output
    assert "s3cret" not in result.output
    assert tree(pub) == before


# --- the write path: a link made while a run computes ----------------------------------------

def test_a_link_made_while_update_computes_is_refused_at_write_time(
        pub: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.commands import update as module

    real = module.update_document

    def racing(config: Config, doc: str, *rest: Any, **options: Any) -> module.DocumentUpdate:
        computed = real(config, doc, *rest, **options)  # has seen locale/en, a real folder
        (pub / "locale" / "en" / "LC_MESSAGES").rmdir()
        (pub / "locale" / "en").rmdir()
        (pub / "locale" / "en").symlink_to(outside, target_is_directory=True)
        return computed

    (pub / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.setattr(module, "update_document", racing)
    before = tree(outside)
    with pytest.raises(BitextError, match="symbolic link") as caught:
        module.update(load_config(pub), ["doc"])
    assert caught.value.path == "locale/en/LC_MESSAGES/doc.po"
    assert tree(outside) == before
    assert not (pub / "locale" / "doc.pot").exists()


def test_a_link_made_while_build_renders_is_refused_before_any_write(
        pub: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.commands.build import build
    from pipeline.render import run as render_run

    assert run(pub, "update").exit_code == 0
    real = render_run.render_all

    def racing(*args: Any, **kwargs: Any) -> Any:
        rendered = real(*args, **kwargs)  # after the plan has seen output/doc, a real folder
        (pub / "output" / "doc" / "doc.tr-en.html").symlink_to(outside / "secret.md")
        return rendered

    (pub / "output" / "doc").mkdir(parents=True)
    monkeypatch.setattr(render_run, "render_all", racing)
    before = tree(outside)
    with pytest.raises(BitextError, match="symbolic link") as caught:
        build(load_config(pub), ["doc"], formats=("html",))
    assert caught.value.path == "output/doc/doc.tr-en.html"
    assert tree(outside) == before
    assert [p.name for p in (pub / "output" / "doc").iterdir()] == ["doc.tr-en.html"]


def test_build_refuses_a_linked_output_before_rendering(
        pub: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.commands.build import build
    from pipeline.render import run as render_run

    assert run(pub, "update").exit_code == 0
    (pub / "output" / "doc").mkdir(parents=True)
    (pub / "output" / "doc" / "doc.en.pdf").symlink_to(outside / "secret.md")

    def not_now(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered before the output paths were checked")

    monkeypatch.setattr(render_run, "render_all", not_now)
    with pytest.raises(BitextError, match="symbolic link") as caught:
        build(load_config(pub), ["doc"])
    assert caught.value.path == "output/doc/doc.en.pdf"


def test_configured_documents_are_checked_like_listed_ones(pub: Path, outside: Path) -> None:
    (pub / "source" / "tr" / "evil.md").symlink_to(outside / "secret.md")
    config = pub / "bitext.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'documents = ["doc", "evil"]\n',
                      encoding="utf-8")
    for command in ("update", "status", "check", "build"):
        refused(run(pub, command), "source/tr/evil.md", "symbolic link", "outside")
    config.write_text(config.read_text(encoding="utf-8").replace('"evil"', '"../evil"'),
                      encoding="utf-8")
    result = run(pub, "status")
    assert result.exit_code == 2
    assert "'documents': document name '../evil' has '/'" in result.output


def test_init_writes_nothing_through_a_link(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "new"
    root.mkdir()
    (root / "source").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert result.output.startswith("Error: source/tr/sample.md: is in source, a symbolic link")
    assert tree(outside) == before and not (root / "bitext.toml").exists()
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(cli, ["init", str(fresh)]).exit_code == 0
    assert load_config(fresh).allow_symlinks is False
