"""The typst adapter: a document reads nothing beside itself, and typst's errors name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.adapters import typst
from pipeline.errors import BitextError

FONTS = Path(__file__).resolve().parents[2] / "pipeline" / "assets" / "fonts"


def test_the_three_calls_work_in_their_root() -> None:
    pdf, _ = typst.compile_pdf("Merhaba", fonts_dir=FONTS, timestamp=0, shown="a.typ")
    assert pdf.startswith(b"%PDF")
    assert typst.compile_png("#set page(width: 2cm, height: 2cm)\nA", fonts_dir=FONTS, ppi=10,
                             shown="c.typ").startswith(b"\x89PNG")
    assert typst.query_values("#metadata(7) <m>", "<m>", fonts_dir=FONTS, shown="q.typ") == [7]


@pytest.mark.parametrize(("call", "message"), [
    (lambda s: typst.compile_pdf(s, fonts_dir=FONTS, timestamp=0, shown="x.typ"),
     "typst failed: "),
    (lambda s: typst.compile_png(s, fonts_dir=FONTS, ppi=10, shown="x.typ"),
     "typst failed on the cover: "),
    (lambda s: typst.query_values(s, "<m>", fonts_dir=FONTS, shown="x.typ"), "typst failed: "),
])
def test_nothing_outside_the_root_is_read_and_errors_name_the_file(
        tmp_path: Path, call: object, message: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("gizli", encoding="utf-8")
    for source in (f'#read("{secret}")', '#read("../secret.txt")', "#let x = ("):
        with pytest.raises(BitextError) as caught:
            call(source)  # type: ignore[operator]
        assert caught.value.message.startswith(message), caught.value.message
        assert caught.value.path == "x.typ"
