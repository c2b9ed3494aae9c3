"""Finding a user's graph: ``path/to/file.py:graph`` or ``package.module:graph``.

Qt-free, so the headless CLI and the window share it. Every failure is a ``GraphLoadError``
with one clear sentence: what was asked for, what went wrong, and what to do.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import traceback
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from graphstage import CompiledGraph, GraphError, StateGraph
from graphstage.langgraph import from_langgraph, is_langgraph_app, is_langgraph_graph

EXAMPLES = Path(str(files("graphstage.resources") / "examples"))
DEFAULT_GRAPH = f"{EXAMPLES / 'stop_and_cleanup.py'}:graph"


class GraphLoadError(Exception):
    """The graph could not be loaded; the message says why in one sentence."""


def split_spec(spec: str) -> tuple[str, str]:
    """``"file.py:graph"`` -> ``("file.py", "graph")``; the attribute defaults to ``graph``."""
    target, sep, attr = spec.rpartition(":")
    if sep and not attr and target:  # "file.py:" names no attribute: the default one
        return split_spec(target)
    if (
        not sep
        or not attr
        or "/" in attr
        or "\\" in attr
        or (len(target) == 1 and target.isalpha())
    ):
        return spec, "graph"  # no attribute given (or just a Windows drive letter)
    return target, attr


def load_graph(spec: str) -> CompiledGraph:
    """Load and return the compiled graph named by ``spec`` (a builder is compiled)."""
    target, attr = split_spec(spec.strip())
    if not target:
        raise GraphLoadError("no graph given: use path/to/file.py:graph or package.module:graph")
    module = _load_module(target)
    try:
        obj = getattr(module, attr)
    except AttributeError:
        found = [n for n, v in vars(module).items() if _is_graph(v)]
        hint = f"; graphs it defines: {', '.join(found)}" if found else "; it defines no graph"
        raise GraphLoadError(f"{target} has no attribute '{attr}'{hint}") from None
    return _as_graph(obj, f"{target}:{attr}")


def _is_graph(obj: Any) -> bool:
    return isinstance(obj, CompiledGraph | StateGraph) or is_langgraph_graph(obj)


def _as_graph(obj: Any, where: str) -> CompiledGraph:
    if isinstance(obj, CompiledGraph):
        return obj
    if is_langgraph_app(obj):  # an unmodified LangGraph app: run it on graphstage
        try:
            return from_langgraph(obj)
        except GraphError as exc:
            raise GraphLoadError(f"{where} cannot run on graphstage: {exc}") from None
        except Exception as exc:  # LangGraph's own code (or the user's) failed in there
            raise GraphLoadError(
                f"{where} cannot run on graphstage: {type(exc).__name__}: {text_of(exc)}"
            ) from None
    if isinstance(obj, StateGraph):
        try:
            return obj.compile()
        except GraphError as exc:
            raise GraphLoadError(f"{where} does not compile: {exc}") from None
        except Exception as exc:  # a compile() of the user's, or a checker we did not foresee
            raise GraphLoadError(
                f"{where} does not compile: compile() raised {type(exc).__name__}: {text_of(exc)}"
            ) from None
    kind = type(obj).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    raise GraphLoadError(
        f"{where} is {article} {kind}, not a graph; point at a StateGraph or the "
        f"graph its compile() returned"
    )


def _load_module(target: str) -> Any:
    looks_like_file = target.endswith(".py") or "/" in target or "\\" in target
    folder = Path(target)
    try:
        bare_folder = folder.is_dir() and not (folder / "__init__.py").is_file()
    except OSError as exc:  # a name too long for the file system: not a folder, and no module
        raise GraphLoadError(f"{target[:80]}...: {exc.strerror}") from None
    if looks_like_file or bare_folder:
        # a bare folder name that is not a package is a folder too, not "no such module"
        return _load_file(target)
    _importable(Path.cwd())  # as ``python -m`` would: the current folder comes first
    with _import_errors(target):
        try:
            return importlib.import_module(target)
        except ModuleNotFoundError as exc:
            raise GraphLoadError(f"{target}: no such module ({exc.msg})") from None


def _load_file(target: str) -> Any:
    """Import a graph file the way its own project would.

    A file inside a package (``app/graph.py`` beside ``app/__init__.py``) is imported under
    its dotted name (``app.graph``) with the package's root on ``sys.path``, so its absolute
    (``app.nodes``) and relative imports resolve to the user's own package. A loose file is
    imported from its folder. Both folders stay importable: nodes may import lazily.
    """
    try:
        return _load_checked_file(target, expanded(Path(target)))
    except OSError as exc:  # a name too long, a path through a file: said, not raised
        raise GraphLoadError(f"{target}: {exc.strerror or exc}") from None


def _load_checked_file(target: str, path: Path) -> Any:
    if path.is_dir():
        raise GraphLoadError(
            f"{target} is a folder; name a Python file in it, e.g. {target}/graph.py"
        )
    if not path.exists():
        raise GraphLoadError(f"{target}: no such file")
    if not path.is_file():  # a FIFO, a device: reading it could block forever
        raise GraphLoadError(f"{target} is not a regular file; name a Python file (.py)")
    path = path.resolve()
    if path.suffix != ".py":
        raise GraphLoadError(f"{target}: not a Python file (.py)")
    root, parts = path.parent, [path.stem]
    while (root / "__init__.py").is_file() and root.parent != root:
        parts.insert(0, root.name)
        root = root.parent
    _importable(path.parent)
    _importable(root)
    if len(parts) > 1 and all(part.isidentifier() for part in parts):
        with _import_errors(target):
            return importlib.import_module(".".join(parts))
    name = f"graphstage_user_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise GraphLoadError(f"{target}: not a Python file that can be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with _import_errors(target, source=target):
            spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


@contextlib.contextmanager
def _import_errors(target: str, source: str | None = None) -> Iterator[None]:
    """Turn whatever importing ``target`` raised into one ``GraphLoadError`` sentence;
    ``source`` names the file in a syntax error (else the error's own file)."""
    try:
        yield
    except (GraphLoadError, KeyboardInterrupt):  # already said; Ctrl+C is the user's
        raise
    except SyntaxError as exc:
        where = source or exc.filename or target
        line = f", line {exc.lineno}" if exc.lineno else ""
        raise GraphLoadError(f"{where}{line}: syntax error: {exc.msg}") from None
    except BaseException as exc:
        raise GraphLoadError(f"{target}: importing it raised {_describe(exc)}") from None


def expanded(path: Path) -> Path:
    """``path`` with ``~`` expanded; as written if it cannot be (``~nouser``, no home
    directory): the caller's checks then say that it does not exist."""
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def _importable(folder: Path) -> None:
    """Put ``folder`` at the front of ``sys.path`` (once)."""
    entry = str(folder)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    importlib.invalidate_caches()


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at line {frames[-1].lineno} of {Path(frames[-1].filename).name}" if frames else ""
    return f"{type(exc).__name__}: {text_of(exc)}{where}"


def text_of(exc: BaseException) -> str:
    """``str(exc)``, or what went wrong getting it: a user's exception may have a
    ``__str__`` that raises, and its message must not become a traceback."""
    try:
        return str(exc)
    except Exception as broken:
        return f"<its str() raised {type(broken).__name__}>"
