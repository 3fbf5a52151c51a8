"""`bitext serve`'s web app through Starlette's TestClient, on small publications with real
pandoc: checks and preview of one segment, save through update, conflicts (409), CSRF (403),
the token, Host/Origin, names that are not documents, hostile text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from pipeline.adapters.po import read_catalog
from pipeline.catalog import Entry
from pipeline.commands.check import check
from pipeline.commands.review import make_page
from pipeline.commands.serve import Desk
from pipeline.commands.update import update
from pipeline.config import load_config
from pipeline.serve.app import create_app
from pipeline.serve.script import SCRIPT
from pipeline.serve.security import TOKEN_COOKIE, Guard
from tests.e2e.test_review_cli import (
    EVIL_TRANSLATION,
    Page,
    assert_inert,
    comment_entry,
    edit,
    hostile_publication,
)
from tests.e2e.test_update_cli import EN, PO, TR, run, snapshot

pytestmark = pytest.mark.e2e

MD = "source/en/doc.md"
BASE = "http://127.0.0.1:8000"


def desk(root: Path) -> Desk:
    config = load_config(root)
    return Desk(config, config.list_documents(), check=lambda c, d: check(c, d, []),
                make_page=make_page, update=lambda c, d: update(c, d, wait=True))


class Editor:
    """A client of the app as the page's script is: the CSRF header, JSON bodies."""

    def __init__(self, root: Path, guard: Guard | None = None) -> None:
        self.root = root
        self.guard = guard or Guard("127.0.0.1", 8000)
        self.client = TestClient(create_app(desk(root), self.guard), base_url=BASE)

    def page(self, doc: str = "doc") -> tuple[str, str]:
        response = self.client.get(f"/edit/{doc}/en")
        assert response.status_code == 200, response.text
        version = re.search(r'data-version="([0-9a-f]+)"', response.text)
        assert version
        return response.text, version.group(1)

    def post(self, path: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
        given = {"X-CSRF-Token": self.guard.csrf, "Content-Type": "application/json"}
        given.update(headers or {})
        return self.client.post(path, content=json.dumps(body), headers=given)


def entry(root: Path, start: str, po: str = PO) -> Entry:
    return next(e for e in read_catalog(root / po, shown=po).entries
                if e.msgid.startswith(start))


@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    """One original paragraph edited (fuzzy), one machine draft."""
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    assert run(runner, root, "update")[0] == 0
    edit(root / "source/tr/doc.md", "İlk paragraf İstanbul'da yazıldı.[^1]",
         "İlk paragraf 2020'de İstanbul'da yazıldı.[^1]")
    assert run(runner, root, "update")[0] == 0
    comment_entry(root, "Üçüncü paragraf kısa.", ["# bitext-mt: libretranslate, 2026-11-30",
                                                "#, fuzzy"])
    assert run(runner, root, "update")[0] == 0
    return root


@pytest.fixture
def editor(pub: Path) -> Editor:
    return Editor(pub)


def key_of(root: Path, start: str) -> str:
    return str(entry(root, start).key)


# --- the page, checks and preview -------------------------------------------------------------

def test_the_page_has_every_row_editable_and_a_strict_policy(editor: Editor) -> None:
    html, _ = editor.page()
    page = Page(html)
    ids = sorted(r["id"] for r in page.rows)
    assert ids == sorted(str(e.key) for e in read_catalog(editor.root / PO, shown=PO).entries)
    assert html.count("<textarea") == len(ids)
    assert page.scripts == [SCRIPT]
    response = editor.client.get("/edit/doc/en")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    # the fuzzy row shows what changed in the original
    assert "<ins>2020&#x27;de </ins>" in html or "<ins>2020'de </ins>" in html


def test_check_of_one_segment_finds_a_dropped_footnote_reference(editor: Editor) -> None:
    key = key_of(editor.root, "İlk paragraf")
    body = {"doc": "doc", "lang": "en", "key": key}
    dropped = editor.post("/api/check", **body, text="Written in Istanbul in 2020.")
    assert dropped.status_code == 200
    checks = [f["check"] for f in dropped.json()["findings"]]
    assert "footnote-refs" in checks
    assert "numbers" not in checks
    fixed = editor.post("/api/check", **body, text="Written in Istanbul in 2020.[^1]")
    assert fixed.json()["findings"] == []
    number = editor.post("/api/check", **body, text="Written in Istanbul in 2021.[^1]")
    assert [f["check"] for f in number.json()["findings"]] == ["numbers"]


def test_preview_renders_the_segment_as_the_edition_does(editor: Editor) -> None:
    key = key_of(editor.root, "İlk paragraf")
    response = editor.post("/api/preview", doc="doc", lang="en", key=key,
                           text="Written *in* [Istanbul](https://example.org).[^1]")
    html = response.json()["html"]
    assert "<em>in</em>" in html and 'href="https://example.org"' in html
    assert re.search(r"<sup><a href=\"#[0-9a-f]{12}\" class=\"noteref\">1</a></sup>", html)


# --- saving -----------------------------------------------------------------------------------

def test_save_writes_the_po_and_the_markdown_and_update_then_changes_nothing(
        editor: Editor, runner: CliRunner) -> None:
    root = editor.root
    _, version = editor.page()
    key = key_of(root, "İkinci")
    response = editor.post("/api/save", doc="doc", lang="en", key=key, version=version,
                           text="The second paragraph was changed on 29 September 2021.")
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["state"] == "translated" and out["version"] != version
    assert out["problems"] == []
    assert entry(root, "İkinci").msgstr == "The second paragraph was changed on 29 September 2021."
    assert "The second paragraph was changed on 29 September 2021.\n" in \
        (root / MD).read_text(encoding="utf-8")
    before = snapshot(root)
    assert run(runner, root, "update")[0] == 0
    assert snapshot(root) == before
    assert run(runner, root, "check", "--only", "out-of-sync")[0] == 0
    # the next save starts from the version the save returned
    again = editor.post("/api/save", doc="doc", lang="en", key=key, version=out["version"],
                        text="The second paragraph changed on 29 September 2021.")
    assert again.status_code == 200


def test_a_plain_save_keeps_fuzzy_and_mark_reviewed_removes_it(editor: Editor) -> None:
    root = editor.root
    _, version = editor.page()
    key = key_of(root, "İlk paragraf")
    text = "The first paragraph was written in Istanbul in 2020.[^1]"
    saved = editor.post("/api/save", doc="doc", lang="en", key=key, version=version, text=text)
    assert saved.json()["state"] == "fuzzy"
    assert entry(root, "İlk paragraf").fuzzy
    reviewed = editor.post("/api/save", doc="doc", lang="en", key=key, text=text,
                           version=saved.json()["version"], reviewed=True)
    assert reviewed.json()["state"] == "translated"
    after = entry(root, "İlk paragraf")
    assert not after.fuzzy and after.previous_msgid is None and after.msgstr == text


def test_mark_reviewed_removes_the_machine_draft_label(editor: Editor) -> None:
    root = editor.root
    assert entry(root, "Üçüncü").machine_draft
    _, version = editor.page()
    response = editor.post("/api/save", doc="doc", lang="en", key=key_of(root, "Üçüncü"),
                           version=version, text="The third paragraph is short.",
                           reviewed=True)
    assert response.json()["state"] == "translated"
    after = entry(root, "Üçüncü")
    assert not after.fuzzy and not after.machine_draft
    assert not [c for c in after.translator_comments if c.startswith("bitext-mt:")]
    assert "bitext-mt" not in (root / PO).read_text(encoding="utf-8")


@pytest.mark.parametrize("changed", [PO, MD])
def test_a_file_changed_on_disk_makes_the_save_a_409_and_writes_nothing(
        editor: Editor, changed: str) -> None:
    root = editor.root
    _, version = editor.page()
    path = root / changed
    old = "The second paragraph changed on 29 September 2021."
    new = "The second paragraph, as Poedit saved it."
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = snapshot(root)
    response = editor.post("/api/save", doc="doc", lang="en", key=key_of(root, "İkinci"),
                           version=version, text="Mine.")
    assert response.status_code == 409
    body = response.json()
    assert body["yours"] == "Mine." and body["version"] != version
    if changed == PO:  # theirs: what the PO on disk says now
        assert body["theirs"] == new
    assert snapshot(root) == before


def test_two_pages_the_second_save_is_refused(editor: Editor) -> None:
    _, version = editor.page()
    key = key_of(editor.root, "İkinci")
    first = editor.post("/api/save", doc="doc", lang="en", key=key, version=version,
                        text="First tab.")
    assert first.status_code == 200
    second = editor.post("/api/save", doc="doc", lang="en", key=key, version=version,
                         text="Second tab.")
    assert second.status_code == 409
    assert second.json()["theirs"] == "First tab."
    assert entry(editor.root, "İkinci").msgstr == "First tab."


# --- security ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"X-CSRF-Token": ""}, {"X-CSRF-Token": "wrong"},
                                     {"Origin": "http://evil.example"}, {"Origin": "null"}])
def test_a_save_without_the_csrf_token_or_from_another_origin_is_a_403(
        editor: Editor, headers: dict[str, str]) -> None:
    _, version = editor.page()
    before = snapshot(editor.root)
    response = editor.post("/api/save", headers=headers, doc="doc", lang="en",
                           key=key_of(editor.root, "İkinci"), version=version, text="Evil.")
    assert response.status_code == 403
    assert snapshot(editor.root) == before


def test_no_csrf_header_at_all_and_a_form_post_are_refused(editor: Editor) -> None:
    _, version = editor.page()
    body = json.dumps({"doc": "doc", "lang": "en", "key": key_of(editor.root, "İkinci"),
                       "version": version, "text": "Evil."})
    bare = editor.client.post("/api/save", content=body,
                              headers={"Content-Type": "application/json"})
    assert bare.status_code == 403
    form = editor.client.post("/api/save", data={"text": "Evil."},
                              headers={"X-CSRF-Token": editor.guard.csrf})
    assert form.status_code == 415


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_foreign_host_header_is_refused_dns_rebinding(pub: Path, host: str) -> None:
    client = TestClient(create_app(desk(pub), Guard("127.0.0.1", 8000)),
                        base_url=f"http://{host}")
    assert client.get("/edit/doc/en").status_code == 400
    assert client.get("/").status_code == 400


def test_beyond_loopback_every_request_needs_the_token(pub: Path) -> None:
    guard = Guard.for_server("0.0.0.0", 8000)
    assert guard.token
    editor = Editor(pub, guard)
    client = TestClient(create_app(desk(pub), guard), base_url="http://0.0.0.0:8000")
    assert client.get("/edit/doc/en").status_code == 401
    assert client.get("/edit/doc/en?token=wrong").status_code == 401
    entered = client.get(f"/edit/doc/en?token={guard.token}", follow_redirects=False)
    assert entered.status_code == 303 and entered.headers["location"] == "/edit/doc/en"
    cookie = entered.headers["set-cookie"]
    assert f"{TOKEN_COOKIE}={guard.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/edit/doc/en").status_code == 200  # the cookie now
    fresh = TestClient(create_app(desk(pub), guard), base_url="http://0.0.0.0:8000")
    body = {"doc": "doc", "lang": "en", "key": key_of(pub, "İkinci"), "text": "x"}
    refused = fresh.post("/api/check", content=json.dumps(body),
                         headers={"X-CSRF-Token": guard.csrf, "Content-Type": "application/json"})
    assert refused.status_code == 401
    assert editor.guard is guard


@pytest.mark.parametrize("path", ["/edit/..%2F..%2Fetc%2Fpasswd/en", "/edit/doc/..%2Fen",
                                  "/edit/%2Fetc%2Fpasswd/en", "/edit/doc/fr", "/edit/nope/en",
                                  "/edit/../bitext.toml"])
def test_no_path_from_a_request_reaches_a_file(editor: Editor, path: str) -> None:
    response = editor.client.get(path)
    assert response.status_code == 404
    assert "source_lang" not in response.text and "root:" not in response.text


@pytest.mark.parametrize(("doc", "lang", "key"), [
    ("../../../etc/passwd", "en", "000000000000"), ("doc", "../../etc", "000000000000"),
    ("/etc/passwd", "en", "000000000000"), ("doc", "en", "../../bitext.toml"),
    ("doc", "en", "000000000000")])
def test_api_names_that_are_not_the_publications_are_404(
        editor: Editor, doc: str, lang: str, key: str) -> None:
    before = snapshot(editor.root)
    for api in ("/api/check", "/api/preview"):
        assert editor.post(api, doc=doc, lang=lang, key=key, text="x").status_code == 404
    _, version = editor.page()
    response = editor.post("/api/save", doc=doc, lang=lang, key=key, text="x", version=version)
    assert response.status_code == 404
    assert snapshot(editor.root) == before


@pytest.mark.parametrize("body", ['[]', '{"doc": 1}', 'not json',
                                  '{"doc": "doc", "lang": "en", "key": "k"}'])
def test_malformed_requests_are_a_400(editor: Editor, body: str) -> None:
    response = editor.client.post("/api/check", content=body, headers={
        "X-CSRF-Token": editor.guard.csrf, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "error" in response.json()


# --- untrusted text ---------------------------------------------------------------------------

@pytest.fixture
def hostile(project, runner: CliRunner, tmp_path: Path) -> tuple[Editor, str]:  # type: ignore[no-untyped-def]
    """The editions' injection set as the original, the review page's as every translation."""
    root, token = hostile_publication(
        project, runner, tmp_path, EVIL_TRANSLATION + "\n</textarea><script>alert(99)</script>")
    return Editor(root), token


def inert(html: str, token: str) -> None:
    """The review page's test of untrusted text, for the editor's page (its own paths too)."""
    assert_inert(html, token, script=SCRIPT, local_links=True, no_forms=True)


def test_hostile_text_stays_text_on_the_editor_page(hostile: tuple[Editor, str]) -> None:
    editor, token = hostile
    html, _ = editor.page("evil")
    assert "alert(1" in html  # the texts are there, as text
    inert(html, token)
    # the translation is the textarea's text, its closing tag escaped
    assert "&lt;/textarea&gt;&lt;script&gt;alert(99)&lt;/script&gt;" in html


def test_hostile_text_in_preview_and_findings_stays_inert(hostile: tuple[Editor, str]) -> None:
    editor, token = hostile
    key = str(read_catalog(editor.root / "locale/en/LC_MESSAGES/evil.po",
                           shown="evil.po").entries[1].key)
    preview = editor.post("/api/preview", doc="evil", lang="en", key=key,
                          text=EVIL_TRANSLATION + "\n<script>alert(98)</script>")
    assert preview.status_code == 200
    html = preview.json()["html"]
    inert(f"<script>{SCRIPT}</script>{html}", token)
    assert "<script>alert" not in html
    found = editor.post("/api/check", doc="evil", lang="en", key=key, text=EVIL_TRANSLATION)
    assert found.status_code == 200
    # findings are JSON data; the page's script puts them in as text (textContent)
    assert all(set(f) >= {"check", "severity", "message"} for f in found.json()["findings"])


def test_a_person_editing_a_machine_draft_makes_it_theirs_still_fuzzy(editor: Editor) -> None:
    root = editor.root
    _, version = editor.page()
    response = editor.post("/api/save", doc="doc", lang="en", key=key_of(root, "Üçüncü"),
                           version=version, text="The third paragraph is brief.")
    assert response.json()["state"] == "fuzzy"  # not reviewed yet: a person's draft
    after = entry(root, "Üçüncü")
    assert after.fuzzy and not after.machine_draft
    assert "bitext-mt" not in (root / PO).read_text(encoding="utf-8")


def test_the_index_lists_each_document_and_language(editor: Editor) -> None:
    response = editor.client.get("/")
    assert response.status_code == 200
    assert '<a href="/edit/doc/en">doc (en)</a>' in response.text


def test_a_po_saved_just_before_the_write_wins_and_is_shown_as_theirs(
        editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Poedit saves between the version check and the journal's write: theirs is kept."""
    import pipeline.commands.serve as serve_module

    root = editor.root
    _, version = editor.page()
    real = serve_module.commit
    old = "The second paragraph changed on 29 September 2021."

    def poedit_first(*args: Any, **kwargs: Any) -> Any:
        po = root / PO
        po.write_text(po.read_text(encoding="utf-8").replace(old, "Poedit's, just now."),
                      encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(serve_module, "commit", poedit_first)
    response = editor.post("/api/save", doc="doc", lang="en", key=key_of(root, "İkinci"),
                           version=version, text="Mine.")
    assert response.status_code == 409
    assert response.json()["theirs"] == "Poedit's, just now."
    assert entry(root, "İkinci").msgstr == "Poedit's, just now."


def test_a_save_queues_behind_a_running_bitext(editor: Editor) -> None:
    from tests.e2e.test_update_cli import _hold_lock

    root = editor.root
    _, version = editor.page()
    holder = _hold_lock(root, 1.0)
    try:
        response = editor.post("/api/save", doc="doc", lang="en", key=key_of(root, "İkinci"),
                               version=version, text="After the other run.")
    finally:
        holder.wait(30)
    assert response.status_code == 200, response.text
    assert (root / "released").exists()  # it did wait for the other run
    assert entry(root, "İkinci").msgstr == "After the other run."
