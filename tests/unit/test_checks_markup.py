"""The markup check: code, links, images, emphasis, tags, placeholders and structure kept."""

from __future__ import annotations

import pytest

from pipeline.catalog import Entry
from pipeline.checks.runner import check_texts


def markup(source: str, target: str, *, flags: list[str] | None = None) -> list[str]:
    entry = Entry(source, target, flags=flags or [], line=1)
    return [f.message for f in check_texts([entry], names=["markup"]).findings]


def severities(source: str, target: str) -> list[str]:
    return [f.severity for f in check_texts([(source, target)], names=["markup"]).findings]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("`bitext check` komutunu çalıştırın", "run `bitext check`"),
        ("[rapora](rapor.md#ozet) bakın", "see [the report](rapor.md#ozet)"),
        ("*önemli* ve **çok önemli**", "*important* and **very important**"),
        ("snake_case_adı ve 3 * 4", "the snake_case_name and 3 * 4"),
        ("bir<br>iki", "one<br>two"),
        ("İlk satır\ndevamı", "First line\ncontinued"),
        ("Bkz. https://example.org/a_b_c", "See https://example.org/a_b_c"),
        ("**Zaman aralığı:** bir", "**The time gap**: A developer"),
        ("**dosya başlatın**,[Sinatra'nın](https://github.com/s)",
         "**Start a file**, [x](https://github.com/s)"),
        # `quoted like this' (GNU style, Sphinx's catalog): not code.
        ("The config value `{name}' has type `{current.__name__}'",
         "`{name}' yapılandırma değeri `{current.__name__}' türüne sahip"),
        # A heading anchor is translated with the heading: the page is what must match.
        ("[neden](../best-practices/#hayir-demek)", "[why](../best-practices/#saying-no)"),
    ],
)
def test_kept_markup_is_quiet(source: str, target: str) -> None:
    assert markup(source, target) == []


def test_changed_code_fires() -> None:
    assert markup("`update` komutu", "the `güncelle` command") == [
        "inline code 'update' is in the original but not in the translation",
        "inline code 'güncelle' is in the translation but not in the original",
    ]


def test_link_targets_and_images() -> None:
    assert markup("[rapor](rapor.md) ![harita](harita.png)", "[report](report.md) the map") == [
        "link target 'rapor.md' is in the original but not in the translation",
        "link target 'report.md' is in the translation but not in the original",
        "image 'harita.png' is in the original but not in the translation",
    ]


def test_lost_emphasis_fires() -> None:
    assert markup("*çok* önemli", "very important") == [
        "emphasis differs: the original has 1 emphasised span, the translation none"
    ]
    assert severities("*çok* önemli", "very important") == ["error"]


def test_regrouped_or_added_emphasis_is_a_warning() -> None:
    assert markup("**dağıtım** ve **bulut**", "**deployment on the cloud**") == [
        "emphasis differs: the original has 2 strong spans, the translation 1 strong span"
    ]
    assert severities("**dağıtım** ve **bulut**", "**deployment on the cloud**") == ["warning"]
    assert severities("Docker gibi container sistemleri", "systems like *container*") == \
        ["warning"]


def test_structure_a_translator_adds_fires() -> None:
    assert markup("Başlık metni", "## Heading text") == [
        "structure differs: the original has 1 paragraph, "
        "the translation 1 heading, 1 paragraph"
    ]
    assert markup("Birinci.\n\nİkinci.", "First. Second.") == [
        "structure differs: the original has 2 paragraphs, the translation 1 paragraph"
    ]


def test_tags_and_placeholders_of_gettext_catalogs() -> None:
    assert markup("<b>%(count)s</b> öğe", "%(count)s <b>items</b>",
                  flags=["python-format"]) == []
    assert markup("%(count)s öğe", "%(sayı)s items", flags=["python-format"]) == [
        "placeholder '%(count)s' is in the original but not in the translation",
        "placeholder '%(sayı)s' is in the translation but not in the original",
    ]
    assert markup("<b>kalın</b>", "bold") == [
        "HTML tag '<b>' is in the original but not in the translation",
        "HTML tag '</b>' is in the original but not in the translation",
    ]


def test_restructuredtext_literals_and_roles() -> None:
    assert markup("Bkz. :ref:`Kurulum <install>` ve ``make``",
                  "See :ref:`Installation <install>` and ``make``") == []
    assert markup("Bkz. :doc:`Kurulum <install>`", "See :ref:`Installation <setup>`") == [
        "role ':doc:' is in the original but not in the translation",
        "role ':ref:' is in the translation but not in the original",
        "link target 'install' is in the original but not in the translation",
        "link target 'setup' is in the translation but not in the original",
    ]


def test_a_heading_starting_with_a_number_is_no_list_item() -> None:
    # A foreign PO (no segment kinds): "Day 1 Morning" translated as "1. Gün Sabah".
    assert markup("Day 1 Morning", "1. Gün Sabah") == []
    # An entry that says it is a heading: a leading "1. " is no list item on either side.
    headings = [Entry("1. Day Morning", "Birinci Gün Sabah", line=1, comments=["type: Title ##"]),
                Entry("1. Day", "Birinci Gün", line=3, kind="heading"),
                Entry("1. Day", "Birinci Gün", line=5, references=[("guide.md (heading)", 4)])]
    assert check_texts(headings, source_lang="en", target_lang="tr",
                       names=["markup"]).findings == []
    # In bitext's own catalogs a paragraph that starts "1. " becomes a list: still a finding.
    paragraph = Entry("Birinci gün sabah", "1. Day morning", line=1, kind="paragraph")
    assert [f.message for f in check_texts([paragraph], names=["markup"]).findings] == [
        "structure differs: the original has 1 paragraph, the translation 1 list item, "
        "1 paragraph"]
    # And an original that is a list keeps its items counted.
    assert markup("- bir\n- iki", "one, two") != []
