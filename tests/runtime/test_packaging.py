"""One import name: the distribution installs ``graphstage`` and nothing else at the top level,
and a user's own ``app`` package is theirs (the console script is run as a real process)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"graphstage": "actors", "graphstage.app": "app", "graphstage.resources": "resources"}


def console_script() -> str:
    """The ``graphstage`` script installed beside this interpreter."""
    found = shutil.which("graphstage", path=sysconfig.get_path("scripts"))
    assert found, "the graphstage console script is not installed (pip install -e .)"
    return found


def user_env() -> dict[str, str]:
    """The environment of a user's shell: no test paths, no journal of ours."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["GRAPHSTAGE_DB"] = "/nonexistent/do-not-use"
    return env


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == FOLDERS
    expected = set()
    for name, folder in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            if "app" in rel and folder == "actors":
                continue
            expected.add(".".join((name, *rel)))
    assert set(config["packages"]) == expected


def test_the_runtime_never_imports_the_app() -> None:
    offenders = []
    for path in (ROOT / "actors").rglob("*.py"):
        if path.name == "__main__.py":  # `python -m graphstage` opens the window on purpose
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.split(".")[0] in ("app", "actors", "PySide6", "qasync")
                or n.startswith("graphstage.app")
            ]
    assert offenders == []


def test_the_public_api_is_importable_under_one_name() -> None:
    import graphstage

    for name in ("StateGraph", "Command", "START", "END", "Journal", "Run", "RunResult"):
        assert name in graphstage.__all__
        assert getattr(graphstage, name) is not None


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    """A user's project whose own package is called ``app`` (the usual service layout)."""
    pkg = tmp_path / "project" / "app"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "nodes.py").write_text(
        textwrap.dedent(
            """
            import asyncio

            from graphstage import Command


            async def work(state):
                try:
                    await asyncio.sleep(0)
                except asyncio.CancelledError:
                    return Command(goto="cleanup")
                return {"result": "done by the user's app.nodes"}
            """
        )
    )
    (pkg / "graph.py").write_text(
        textwrap.dedent(
            """
            from typing import TypedDict

            from graphstage import END, START, StateGraph

            from app.nodes import work
            from .nodes import work as same_work

            assert work is same_work


            class State(TypedDict, total=False):
                result: str


            builder = StateGraph(State)
            builder.add_node("work", work)
            builder.add_edge(START, "work")
            builder.add_edge("work", END)
            graph = builder.compile()
            """
        )
    )
    return pkg.parent


@pytest.mark.parametrize("spec", ["app/graph.py:graph", "app.graph:graph"])
def test_a_user_project_with_its_own_app_package_runs(user_project: Path, spec: str) -> None:
    done = subprocess.run(
        [console_script(), "run", spec, "--no-journal", "--json"],
        cwd=user_project,
        env=user_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "done by the user's app.nodes" in done.stdout


def test_the_help_lists_every_command_and_each_command_shows_an_example() -> None:
    done = subprocess.run(
        [console_script(), "--help"], capture_output=True, text=True, timeout=60, env=user_env()
    )
    assert done.returncode == 0, done.stderr
    for command in ("window", "run", "runs", "show", "resume", "graph"):
        assert f"\n  {command} " in done.stdout
        sub = subprocess.run(
            [console_script(), command, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            env=user_env(),
        )
        assert sub.returncode == 0, sub.stderr
        assert "examples:\n  graphstage " in sub.stdout, (command, sub.stdout)


@pytest.mark.timeout(300)
def test_a_normal_install_ships_one_top_level_package(tmp_path: Path) -> None:
    """Build the wheel, install it (no deps: the test environment has them) and use it from
    there: only ``graphstage`` lands in site-packages, resources included."""
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".*cache"),
    )
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("graphstage-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"graphstage"}
    for shipped in (
        "graphstage/app/gui.py",
        "graphstage/resources/style.qss",
        "graphstage/resources/examples/stop_and_cleanup.py",
        "graphstage/py.typed",
    ):
        assert shipped in names  # fmt: skip

    # Install it into a folder of its own and import it from there, ahead of the editable
    # install of this checkout (whose finder Python consults after the path): the packages'
    # dependencies come from the test environment.
    site = str(tmp_path / "site")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    installed = {p.name for p in Path(site).iterdir() if not p.name.endswith(".dist-info")}
    assert installed - {"bin"} == {"graphstage"}
    probe = subprocess.run(
        [sys.executable, "-c",
         "import graphstage, graphstage.app.loader as l, graphstage.app.gui as g; "
         "print(graphstage.__file__); print(l.load_graph(l.DEFAULT_GRAPH).name); "
         "print(g.STYLE_SHEET.is_file())"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**user_env(), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": site},
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    where, name, style = probe.stdout.split()
    assert Path(where).is_relative_to(site)
    assert (name, style) == ("stop_and_cleanup", "True")
