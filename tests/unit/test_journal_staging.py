"""`journal.stage`: a group's temporary files written before its commit, and never left."""

from __future__ import annotations

from pathlib import Path

from pipeline.adapters.journal import Group, Staged, commit, discard, stage, stamps


def _temps(root: Path) -> list[Path]:
    return sorted(root.rglob("*.bitext-tmp"))


def _group(root: Path) -> tuple[Path, Path, Group]:
    a, b = root / "a.po", root / "b.md"
    a.write_text("old a", encoding="utf-8")
    b.write_text("old b", encoding="utf-8")
    return a, b, Group({a: b"new a", b: b"new b"}, stamps([a, b]))


def test_a_staged_group_is_committed_by_renames(tmp_path: Path) -> None:
    a, b, group = _group(tmp_path)
    staged = stage(tmp_path, group)
    assert isinstance(staged, Staged) and len(_temps(tmp_path)) == 2
    assert a.read_text(encoding="utf-8") == "old a"  # nothing visible before the commit
    done = commit(tmp_path, [staged])
    assert sorted(done.written) == [a, b] and not done.changed
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
    assert _temps(tmp_path) == []


def test_a_file_saved_after_staging_keeps_its_group_unwritten(tmp_path: Path) -> None:
    a, b, group = _group(tmp_path)
    staged = stage(tmp_path, group)
    assert staged is not None
    b.write_text("the translator's edit", encoding="utf-8")
    done = commit(tmp_path, [staged])
    assert done.changed == [b] and not done.written
    assert a.read_text(encoding="utf-8") == "old a"  # the group is one: none of it written
    assert b.read_text(encoding="utf-8") == "the translator's edit"
    assert _temps(tmp_path) == []


def test_a_file_saved_before_staging_is_found_then(tmp_path: Path) -> None:
    a, _b, group = _group(tmp_path)
    a.write_text("edited meanwhile", encoding="utf-8")
    staged = stage(tmp_path, group)
    assert staged is not None and staged.changed == [a] and _temps(tmp_path) == []
    assert commit(tmp_path, [staged]).changed == [a]


def test_staging_makes_no_folder(tmp_path: Path) -> None:
    new = tmp_path / "locale" / "de" / "doc.po"
    assert stage(tmp_path, Group({new: b"x"}, stamps([new]))) is None
    assert list(tmp_path.iterdir()) == []


def test_a_discarded_group_leaves_nothing(tmp_path: Path) -> None:
    a, _b, group = _group(tmp_path)
    staged = stage(tmp_path, group)
    assert staged is not None
    discard([staged])
    assert _temps(tmp_path) == [] and a.read_text(encoding="utf-8") == "old a"
    assert commit(tmp_path, [staged]).written == []  # discarded: nothing left to rename


def test_a_file_found_changed_late_in_its_group_takes_back_what_was_staged(
    tmp_path: Path
) -> None:
    """Each target is opened once, its stamp checked as it is read: a group whose last
    files changed since they were read had temporary files written for the first ones;
    they go, and every changed file is named."""
    a, b, group = _group(tmp_path)
    c = tmp_path / "c.json"
    c.write_text("old c", encoding="utf-8")
    group = Group({**group.files, c: b"new c"}, {**group.read, **stamps([c])})
    b.write_text("edited b", encoding="utf-8")
    c.write_text("edited c, longer", encoding="utf-8")
    staged = stage(tmp_path, group)
    assert staged is not None and staged.changed == [b, c]
    assert _temps(tmp_path) == [] and not staged.temps
    assert commit(tmp_path, [staged]).changed == [b, c]
    assert a.read_text(encoding="utf-8") == "old a"


def test_an_unchanged_file_gets_no_temporary_file(tmp_path: Path) -> None:
    a, b, _ = _group(tmp_path)
    staged = stage(tmp_path, Group({a: b"old a", b: b"new b"}, stamps([a, b])))
    assert staged is not None and list(staged.temps) == [b]
    assert commit(tmp_path, [staged]).written == [b]


# `prestage`: a file staged by the process that computed it (a forked child), committed here.

def test_a_prestaged_file_is_committed_by_its_rename(tmp_path: Path) -> None:
    from pipeline.adapters.journal import prestage
    from pipeline.keys import digest_bytes

    a, b, _ = _group(tmp_path)
    staged = prestage(a, b"new a")
    assert staged.temp is not None and staged.digest == digest_bytes(b"new a")
    assert a.read_text(encoding="utf-8") == "old a" and len(_temps(tmp_path)) == 1
    same = prestage(b, b"old b")  # already so: nothing staged
    assert same.temp is None and len(_temps(tmp_path)) == 1
    done = commit(tmp_path, [Group({a: staged, b: same}, stamps([a, b]))])
    assert done.written == [a] and a.read_bytes() == b"new a" and b.read_bytes() == b"old b"
    assert done.marks[a] == staged.mark  # learnt as what it staged (`FileStats.learn`)
    assert _temps(tmp_path) == []


def test_a_prestaged_group_with_a_file_saved_meanwhile_is_not_written(tmp_path: Path) -> None:
    from pipeline.adapters.journal import prestage

    a, b, _ = _group(tmp_path)
    read = stamps([a, b])
    group = Group({a: prestage(a, b"new a"), b: prestage(b, b"new b")}, read)
    a.write_text("the translator's edit", encoding="utf-8")
    done = commit(tmp_path, [group])
    assert done.changed == [a] and not done.written
    assert a.read_text(encoding="utf-8") == "the translator's edit"
    assert b.read_text(encoding="utf-8") == "old b"
    assert _temps(tmp_path) == []  # both temporary files gone, the later one's too


def test_a_prestaged_group_discarded_leaves_no_temporary_file(tmp_path: Path) -> None:
    from pipeline.adapters.journal import prestage

    a, b, _ = _group(tmp_path)
    discard([Group({a: prestage(a, b"new a"), b: b"new b"}, {})])
    assert _temps(tmp_path) == [] and a.read_text(encoding="utf-8") == "old a"


def test_a_commit_that_fails_removes_the_prestaged_files_of_groups_after_it(
        tmp_path: Path) -> None:
    import pytest

    from pipeline.adapters.journal import prestage
    from pipeline.errors import BitextError

    a, b, _ = _group(tmp_path)
    blocked = a / "under-a-file.po"  # its folder is a file: it cannot be written
    later = Group({b: prestage(b, b"new b")}, stamps([b]))
    with pytest.raises(BitextError, match="cannot write"):
        commit(tmp_path, [Group({blocked: b"x"}, {}), later])
    assert _temps(tmp_path) == [] and b.read_text(encoding="utf-8") == "old b"


def test_pieces_are_prestaged_as_they_come_unless_the_file_holds_them(tmp_path: Path) -> None:
    from pipeline.adapters.journal import prestage_pieces
    from pipeline.keys import digest_bytes

    a, b, _ = _group(tmp_path)
    same = prestage_pieces(a, iter([b"old", b" ", b"a"]))
    assert same.temp is None and same.digest == digest_bytes(b"old a")
    assert _temps(tmp_path) == []
    longer = prestage_pieces(a, iter([b"old", b" a", b"!"]))  # the file is its start
    shorter = prestage_pieces(b, iter([b"old"]))  # its start is the file
    new = prestage_pieces(tmp_path / "new.md", iter([b"yeni"]))
    for staged, data in ((longer, b"old a!"), (shorter, b"old"), (new, b"yeni")):
        assert staged.temp is not None and staged.temp.read_bytes() == data
        assert staged.digest == digest_bytes(data)
    assert len(_temps(tmp_path)) == 3
