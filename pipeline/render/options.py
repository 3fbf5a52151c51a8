"""``[tool.bitext.build]``: the build's settings, declared in `BUILD`, checked at config load.

=====================  ==========================  =========================================
key                    default                     meaning
=====================  ==========================  =========================================
``formats``            ``["html", "epub", "pdf"]``  formats built when ``--to`` is not given
``editions``           all                          editions built when ``--edition`` is not
                                                    given: language codes and ``"bilingual"``
``release_threshold``  ``100``                      ``--release`` refuses a translation whose
                                                    translated share (reviewed segments, in
                                                    percent) is below this
``engine``             ``"typst"``                  PDF engine (typst is the only one)
``paper``              ``"a4"``                     PDF paper: a4, a5, us-letter, …
``title``              ``{}``                       per-language title override:
                                                    ``title = { en = "…" }``
``author``             ``[]``                       author name(s), a string or a list
``date``               none                         ``2021``, ``2021-10`` or ``2021-10-03``:
                                                    the publication's date (else the last
                                                    commit of the original; never the
                                                    build day)
``publisher``          ``""``                       the publisher of these editions
``original``           ``{}``                       the first publication: ``title``,
                                                    ``publisher``, ``url``, ``date``
``rights``             ``""``                       the rights statement (EPUB, HTML footer)
``cover``              a generated one              the EPUB cover: a PNG or JPEG inside
                                                    the publication
``identifier``         ``"bitext"``                 seed of each EPUB's fixed identifier
``layout``             ``"parallel"``               bilingual PDF layout(s), one or a list:
                                                    ``parallel`` (two columns,
                                                    ``<doc>.tr-en.pdf``) and ``facing``
                                                    (original on the left-hand page,
                                                    ``<doc>.tr-en.facing.pdf``)
=====================  ==========================  =========================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.errors import BitextError
from pipeline.render.metadata import (
    Metadata,
    Original,
    PubDate,
    parse_original,
    parse_pub_date,
    parse_text,
)
from pipeline.settings_schema import (
    Context,
    Invalid,
    Key,
    Section,
    check_section,
    got,
    one_of,
    strings,
    typed,
)

if TYPE_CHECKING:
    from pipeline.config import Config

EDITION_FORMATS = ("html", "epub", "pdf")
EXTENSIONS = {"html": "html", "epub": "epub", "pdf": "pdf"}
PAPERS = ("a4", "a5", "a3", "b5", "us-letter", "us-legal", "us-executive")
ENGINES = ("typst",)
LAYOUTS = ("parallel", "facing")


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = EDITION_FORMATS
    editions: tuple[str, ...] = ()
    release_threshold: float = 100.0
    engine: str = "typst"
    paper: str = "a4"
    title: dict[str, str] = field(default_factory=dict)
    identifier: str = "bitext"
    # publication metadata: the defaults of the front matter's keys of the same names
    authors: tuple[str, ...] = ()
    date: PubDate | None = None
    publisher: str = ""
    original: Original = field(default_factory=Original)
    rights: str = ""
    cover: str = ""
    # not in the fingerprint: each layout is its own file, built when its file is missing
    layouts: tuple[str, ...] = ("parallel",)

    def fingerprint(self) -> str:
        """Everything here that changes an output, as text, for the build cache."""
        return repr((self.engine, self.paper, sorted(self.title.items()), self.identifier,
                     self.metadata(), self.cover))

    def metadata(self) -> Metadata:
        """The publication metadata the config gives (the front matter's wins)."""
        return Metadata(date=self.date, authors=self.authors, publisher=self.publisher,
                        original=self.original, rights=self.rights)


def edition_names(config: Config) -> tuple[str, ...]:
    return (config.source_lang, *config.target_langs, "bilingual")


def _editions(context: Context) -> tuple[str, ...]:
    return tuple(context.get("editions", ()))


def _threshold(value: Any, context: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise Invalid(f"expected a number from 0 to 100, got {got(value)}")
    return float(value)


def _title(value: Any, context: Context) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Invalid(f"expected a table of language = title strings, got {got(value)}")
    return dict(value)


def _metadata(parse: Callable[[Any], Any]) -> Callable[[Any, Context], Any]:
    """A `pipeline.render.metadata` parser as a converter (the front matter uses the same)."""
    def convert(value: Any, context: Context) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
    return convert


def _cover(value: Any, context: Context) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected a path inside the publication, got {got(value)}")
    if not value.lower().endswith((".png", ".jpg", ".jpeg")):
        raise Invalid(f"expected a .png, .jpg or .jpeg file, got {value!r}")
    return value


BUILD = Section((
    Key("formats", strings(among=EDITION_FORMATS), "formats built when --to is not given"),
    Key("editions", strings(among=_editions), "editions built when --edition is not given"),
    Key("release_threshold", _threshold, "--release refuses a translation below this share"),
    Key("engine", one_of(ENGINES), "PDF engine"),
    Key("paper", one_of(PAPERS), "PDF paper size"),
    Key("title", _title, "per-language title override"),
    # publication metadata (README "Publication metadata"): the front matter's keys win
    Key("author", strings("a string or a list of strings", single=True),
        "author name(s) when the front matter gives none", field="authors"),
    Key("date", _metadata(parse_pub_date), "the publication's date: 2021, 2021-10, 2021-10-03"),
    Key("publisher", _metadata(parse_text), "the publisher of these editions"),
    Key("identifier", typed(str, "a string"), "seed of each EPUB's fixed identifier"),
    Key("original", _metadata(parse_original),
        "the first publication: title, publisher, url, date"),
    Key("rights", _metadata(parse_text), "the rights statement"),
    Key("cover", _cover, "the EPUB cover image (PNG or JPEG) inside the publication"),
    Key("layout", strings("parallel, facing or a list of them", single=True, among=LAYOUTS),
        "bilingual PDF layout(s)", field="layouts"),
))


def check_build(table: dict[str, Any], *, label: Callable[[str], str], errors: list[str],
                editions: tuple[str, ...]) -> BuildOptions:
    """``[tool.bitext.build]`` as `BuildOptions`; problems appended to ``errors``."""
    values = check_section(BUILD, table, label=label, errors=errors,
                           context={"editions": editions})
    return BuildOptions(**values)


def build_options(config: Config) -> BuildOptions:
    """The build settings, validated when the configuration was loaded."""
    return config.build


def parse_list(value: str | None, choices: tuple[str, ...], what: str) -> tuple[str, ...] | None:
    """A comma-separated command-line list, checked against ``choices`` (None: not given)."""
    if value is None:
        return None
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in items if v not in choices]
    if unknown or not items:
        raise BitextError(f"{what}: expected a comma-separated list of {', '.join(choices)}, "
                          f"got {value!r}")
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class Edition:
    """One edition of a document: its name (a language or "bilingual") and languages."""

    doc: str
    name: str
    langs: tuple[str, ...]
    layout: str = "parallel"  # of a bilingual PDF: "parallel" or "facing"
    pdf: bool = True  # False: a parallel edition made for HTML and EPUB only

    @property
    def stem(self) -> str:
        suffix = ".facing" if self.layout == "facing" else ""
        return f"{self.doc}.{'-'.join(self.langs)}{suffix}"

    @property
    def bilingual(self) -> bool:
        return len(self.langs) == 2

    def filename(self, fmt: str) -> str:
        return f"{self.stem}.{EXTENSIONS[fmt]}"

    def makes(self, fmt: str) -> bool:
        """Whether this edition exists in ``fmt``: facing pages are a PDF layout only."""
        if self.layout == "facing":
            return fmt == "pdf"
        return self.pdf or fmt != "pdf"


def editions_for(doc: str, source_lang: str, target_langs: tuple[str, ...],
                 wanted: tuple[str, ...],
                 layouts: tuple[str, ...] = ("parallel",)) -> list[Edition]:
    """The editions of ``doc`` among ``wanted`` (languages, "bilingual": one per target).

    A bilingual edition comes once per layout in ``layouts``; HTML and EPUB are made
    from the parallel one (see `Edition.makes`), which is there for them even when
    only ``facing`` is asked for.
    """
    out: list[Edition] = []
    for name in wanted:
        if name == "bilingual":
            for t in target_langs:
                out.append(Edition(doc, name, (source_lang, t), pdf="parallel" in layouts))
                if "facing" in layouts:
                    out.append(Edition(doc, name, (source_lang, t), layout="facing"))
        else:
            out.append(Edition(doc, name, (name,)))
    return out
