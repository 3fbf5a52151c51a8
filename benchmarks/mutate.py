"""A small mutation tester: one AST-level change at a time, the relevant tests run on it.

    .venv/bin/python benchmarks/mutate.py pipeline/sync.py [more targets] [-j 2] [--only N,M]

Each mutant is the target's source, parsed, changed in one place and written back with
`ast.unparse`; the tests that cover the target (`TESTS`) run on it with ``-x -q`` and a
timeout. A mutant is *killed* when they fail (or time out), *survives* when they pass.
The work happens in copies of the worktree under a temporary directory (one per job),
so the worktree itself is never changed; not collected by pytest (no ``test_`` name).

Mutations: comparison operators flipped (``<``/``<=``, ``==``/``!=``, ``in``/``not in``,
``is``/``is not``), ``and``/``or`` swapped, ``+``/``-`` swapped, ``not x`` -> ``x``,
integer constants ``n`` -> ``n + 1`` (and ``1`` -> ``0``), ``True``/``False`` swapped,
``None`` defaults kept, a statement (expression, assignment, ``if``, ``continue``,
``break``, ``return``) replaced by ``pass``. String constants are left alone: they are
messages and keys, whose mutants only message-text assertions would kill.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
TIMEOUT = 90.0

TESTS = {
    "pipeline/catalog.py": ["tests/unit/test_catalog.py", "tests/property/test_catalog_props.py"],
    "pipeline/sync.py": ["tests/unit/test_sync.py", "tests/e2e/test_sync.py",
                         "tests/property/test_sync_machine.py"],
    "pipeline/checks/footnotes.py": ["tests/unit/test_checks_footnotes.py"],
}

_FLIP: dict[type[ast.AST], type[ast.AST]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.Add: ast.Sub, ast.Sub: ast.Add,
    ast.And: ast.Or, ast.Or: ast.And,
}
_STATEMENTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.If, ast.Continue,
               ast.Break, ast.Return)


@dataclass(frozen=True)
class Mutant:
    number: int
    node: int  # index of the node in ast.walk order
    change: str  # what is done to it
    line: int
    description: str


def _docstring(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _changes(node: ast.AST) -> Iterator[tuple[str, str]]:
    """(change, description) for each mutation of this node."""
    if isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in _FLIP:
                yield f"cmp{k}", f"{type(op).__name__} -> {_FLIP[type(op)].__name__}"
    elif isinstance(node, ast.BoolOp) or (
            isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in (ast.Add, ast.Sub)):
        yield "op", f"{type(node.op).__name__} -> {_FLIP[type(node.op)].__name__}"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", "not x -> x"
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield "const", f"{value} -> {not value}"
        elif isinstance(value, int | float):
            yield "const", f"{value} -> {value + 1}"
            if value == 1:
                yield "zero", "1 -> 0"
    if isinstance(node, _STATEMENTS) and not _docstring(node):
        yield "pass", f"{type(node).__name__} -> pass"


def _apply(tree: ast.Module, index: int, change: str) -> None:
    node = list(ast.walk(tree))[index]
    if change.startswith("cmp"):
        assert isinstance(node, ast.Compare)
        k = int(change[3:])
        node.ops[k] = _FLIP[type(node.ops[k])]()
    elif change == "op":
        assert isinstance(node, ast.BoolOp | ast.BinOp | ast.AugAssign)
        node.op = _FLIP[type(node.op)]()  # type: ignore[assignment]
    elif change == "not":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif change == "const":
        assert isinstance(node, ast.Constant)
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    elif change == "zero":
        assert isinstance(node, ast.Constant)
        node.value = 0
    elif change == "pass":
        _replace(tree, node, ast.Pass())


def _replace(tree: ast.Module, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                setattr(parent, name, [new if v is old else v for v in value])
                return
    raise LookupError(old)


def mutants(source: str) -> list[tuple[Mutant, str]]:
    """Every mutant of ``source`` with its text (those that unparse the same are dropped)."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    out: list[tuple[Mutant, str]] = []
    for index, node in enumerate(ast.walk(tree)):
        for change, description in _changes(node):
            changed = copy.deepcopy(tree)
            _apply(changed, index, change)
            text = ast.unparse(ast.fix_missing_locations(changed))
            if text != original:
                line = getattr(node, "lineno", 0)
                out.append((Mutant(len(out) + 1, index, change, line, description), text))
    return out


def _copy_tree(into: Path) -> None:
    shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(
        ".venv", ".git", "mutants", ".hypothesis", "output", "build", "__pycache__"))


def _run(workdir: Path, tests: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(workdir), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(
            [str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=workdir, env=env, capture_output=True, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if done.returncode == 0 else "killed"


def run_target(target: str, source: str, todo: list[tuple[Mutant, str]], scratch: Path,
               jobs: int) -> list[Mutant] | None:
    """Run the mutants of one target; print and return the survivors (None: no baseline)."""
    workers = [scratch / f"{target.replace('/', '_')}-{k}" for k in range(jobs)]
    for workdir in workers:
        _copy_tree(workdir)
        # The baseline: the tests pass on the unmutated code (as unparsed).
        (workdir / target).write_text(ast.unparse(ast.parse(source)), encoding="utf-8")
    if _run(workers[0], TESTS[target]) != "survived":
        print(f"{target}: the tests fail without any mutation", file=sys.stderr)
        return None
    free = list(workers)

    def one(item: tuple[Mutant, str]) -> tuple[Mutant, str]:
        workdir = free.pop()
        try:
            (workdir / target).write_text(item[1], encoding="utf-8")
            return item[0], _run(workdir, TESTS[target])
        finally:
            free.append(workdir)

    survivors = []
    counts = {"killed": 0, "timeout": 0, "survived": 0}
    with ThreadPoolExecutor(jobs) as pool:
        for mutant, verdict in pool.map(one, todo):
            counts[verdict] += 1
            if verdict == "survived":
                survivors.append(mutant)
                print(f"SURVIVED {target}:{mutant.line}: #{mutant.number} "
                      f"{mutant.description}", flush=True)
    killed = counts["killed"] + counts["timeout"]
    print(f"{target}: {len(todo)} mutants, {killed} killed "
          f"({counts['timeout']} by timeout), {counts['survived']} surviving", flush=True)
    return survivors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="+", choices=sorted(TESTS))
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", help="mutant numbers to run, comma-separated (one target)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args(argv)
    exit_code = 0
    with tempfile.TemporaryDirectory(prefix="bitext-mutate-") as scratch:
        for target in args.targets:
            source = (ROOT / target).read_text(encoding="utf-8")
            todo = mutants(source)
            if args.only:
                wanted = {int(n) for n in args.only.split(",")}
                todo = [(m, t) for m, t in todo if m.number in wanted]
            if args.list:
                for mutant, _ in todo:
                    print(f"{target}:{mutant.line}: #{mutant.number} {mutant.description}")
                continue
            survivors = run_target(target, source, todo, Path(scratch), args.jobs)
            if survivors is None:
                return 2
            exit_code = exit_code or int(bool(survivors))
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
