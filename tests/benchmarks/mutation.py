"""Mutation testing of the runtime: do the tests notice when its code is wrong?

A small AST mutator (no mutmut: it cannot follow this project's package-dir layout). It
samples ``--mutants`` random single-point mutations of the runtime's modules (flip a
comparison, swap ``and``/``or``, drop a ``not``, change a constant, delete a statement,
return ``None`` early), and for each one runs the relevant tests against a shadow copy of
the package with that one mutation: ``graphstage`` is imported from the shadow copy
(first on ``PYTHONPATH``), the tests are the worktree's own. A mutant is *killed* when a
test fails (or the run exceeds ``--timeout``: a hang); it *survives* when every test
passes. Survivors are printed with their diff, for a human to judge whether they are
equivalent (no behaviour can tell them apart) or a missing test.

Not part of the test run. Example:

    python tests/benchmarks/mutation.py --mutants 60 --seed 11
    python tests/benchmarks/mutation.py --mutants 60 --seed 11 --jobs 2 --timeout 180
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import difflib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TARGETS = [
    "actors/supervisor/_supervisor.py",
    "actors/supervisor/_step.py",
    "actors/supervisor/_settle.py",
    "actors/supervisor/_stopping.py",
    "actors/supervisor/_finish.py",
    "actors/supervisor/_answers.py",
    "actors/_starting.py",
    "actors/checkpoint/sqlite.py",
    "actors/checkpoint/_pending.py",
    "actors/checkpoint/_rows.py",
    "actors/checkpoint/_thread.py",
    "actors/_actor.py",
    "actors/_routing.py",
    "actors/_run.py",
    "actors/_graph.py",
    "actors/journal/_schema.py",
    "actors/journal/_writer.py",
    "actors/journal/_recovery.py",
    "actors/journal/_sink.py",
    "actors/journal/_records.py",
    "actors/journal/_reader.py",
    "actors/journal/_store.py",
    "actors/_jsonsafe.py",
    "actors/_command.py",
    "actors/_mailbox.py",
    "actors/state/schema.py",
]
"""The runtime modules sampled (the stop ladder, routing, the run, the journal, state)."""

TESTS = [
    "tests/runtime",
    "tests/journal/test_journal_store.py",
    "tests/journal/test_journal_truth.py",
    "tests/journal/test_journal_faults.py",
    "tests/journal/test_journal_deltas.py",
    "tests/fuzz/test_faults.py",
    "tests/fuzz/test_hostile_fuzz.py",
    "tests/persistence/test_saver_io.py",
    "tests/persistence/test_savers.py",
    "tests/persistence/test_resume_safety.py",
]
"""The tests run against each mutant (``-x``: the first failure kills it). The stop-ladder
fuzz and the CLI's process tests are left out: they add minutes a mutant on a loaded
machine (``--full`` puts them back)."""

FULL = [*TESTS, "tests/fuzz/test_stop_ladder_fuzz.py", "tests/journal", "tests/persistence"]

_FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


@dataclass
class Mutant:
    file: str
    line: int
    what: str
    source: str
    """The whole mutated module."""


def _docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _sites(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """Every place one mutation can go, with the kind of mutation."""
    sites: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _FLIP:
            sites.append((node, "compare"))
        elif isinstance(node, ast.BoolOp):
            sites.append((node, "boolop"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            sites.append((node, "not"))
        elif isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or type(node.value) is int
        ):
            sites.append((node, "constant"))
        elif isinstance(node, ast.Return) and node.value is not None:
            sites.append((node, "return"))
        if hasattr(node, "body") and isinstance(node.body, list):
            for stmt in node.body:
                if isinstance(stmt, ast.Expr | ast.Assign | ast.AugAssign | ast.AnnAssign):
                    if not _docstring(stmt, node) and not isinstance(stmt, ast.AnnAssign):
                        sites.append((stmt, "delete"))
    return sites


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, kind: str) -> None:
        self.target, self.kind, self.what = target, kind, ""

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is not self.target:
            return super().generic_visit(node)
        if self.kind == "compare":
            assert isinstance(node, ast.Compare)
            old = type(node.ops[0])
            node.ops[0] = _FLIP[old]()
            self.what = f"{old.__name__} -> {_FLIP[old].__name__}"
        elif self.kind == "boolop":
            assert isinstance(node, ast.BoolOp)
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self.what = "and <-> or"
        elif self.kind == "not":
            assert isinstance(node, ast.UnaryOp)
            self.what = "drop not"
            return node.operand
        elif self.kind == "constant":
            assert isinstance(node, ast.Constant)
            value = node.value
            node.value = (not value) if isinstance(value, bool) else (value + 1)
            self.what = f"{value!r} -> {node.value!r}"
        elif self.kind == "return":
            assert isinstance(node, ast.Return)
            node.value = ast.Constant(None)
            self.what = "return None"
        elif self.kind == "delete":
            self.what = "delete statement"
            return ast.Pass()
        return node


def sample(count: int, seed: int) -> list[Mutant]:
    rng = random.Random(seed)
    per_file = {f: ast.parse((ROOT / f).read_text()) for f in TARGETS}
    sites = [(f, i) for f, tree in per_file.items() for i in range(len(_sites(tree)))]
    out: list[Mutant] = []
    for f, i in rng.sample(sites, min(count, len(sites))):
        tree = copy.deepcopy(per_file[f])
        node, kind = _sites(tree)[i]
        applier = _Apply(node, kind)
        mutated = ast.fix_missing_locations(applier.visit(tree))
        source = ast.unparse(mutated)
        if source == ast.unparse(per_file[f]):
            continue
        out.append(Mutant(f, getattr(node, "lineno", 0), applier.what, source))
    return out


def shadow(workdir: Path) -> Path:
    """A copy of the package as ``graphstage`` (actors/ with app/ and resources/ inside),
    to put first on PYTHONPATH."""
    pkg = workdir / "pkg" / "graphstage"
    shutil.copytree(ROOT / "actors", pkg)
    shutil.copytree(ROOT / "app", pkg / "app")
    shutil.copytree(ROOT / "resources", pkg / "resources")
    return pkg


def run_one(mutant: Mutant, timeout: float, tests: list[str]) -> tuple[Mutant, str, float]:
    with tempfile.TemporaryDirectory(prefix="graphstage-mutant-") as tmp:
        pkg = shadow(Path(tmp))
        rel = Path(mutant.file).relative_to("actors")
        (pkg / rel).write_text(mutant.source)
        env = {**os.environ, "PYTHONPATH": str(pkg.parent), "QT_QPA_PLATFORM": "offscreen"}
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
            )
            verdict = "survived" if done.returncode == 0 else "killed"
        except subprocess.TimeoutExpired:
            verdict = "killed (hang)"
        return mutant, verdict, time.perf_counter() - started


def diff(mutant: Mutant) -> str:
    original = ast.unparse(ast.parse((ROOT / mutant.file).read_text())).splitlines()
    lines = difflib.unified_diff(original, mutant.source.splitlines(), lineterm="", n=1)
    return "\n".join(list(lines)[2:12])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--full", action="store_true", help="run the slow tests too")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FILE:LINE",
        help="of the sampled mutants, run only these (e.g. actors/journal/_writer.py:120), to "
        "check that a new test kills a survivor",
    )
    ns = parser.parse_args()
    tests = list(dict.fromkeys(FULL if ns.full else TESTS))
    mutants = sample(ns.mutants, ns.seed)
    if ns.only:
        mutants = [m for m in mutants if f"{m.file}:{m.line}" in ns.only]
    print(f"{len(mutants)} mutants of {len(TARGETS)} modules, seed {ns.seed}", flush=True)
    results = []
    with concurrent.futures.ThreadPoolExecutor(ns.jobs) as pool:
        runs = pool.map(lambda m: run_one(m, ns.timeout, tests), mutants)
        for mutant, verdict, seconds in runs:
            results.append((mutant, verdict))
            print(
                f"{verdict:14} {seconds:6.1f}s  {mutant.file}:{mutant.line}  {mutant.what}",
                flush=True,
            )
    survivors = [m for m, v in results if v == "survived"]
    killed = len(results) - len(survivors)
    print(f"\nkilled {killed}/{len(results)} ({100 * killed / max(1, len(results)):.0f}%)")
    for m in survivors:
        print(f"\nsurvived: {m.file}:{m.line} {m.what}\n{diff(m)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
