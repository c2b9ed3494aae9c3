"""Run one LangGraph program on LangGraph and on graphstage, with only its imports switched.

A program is a file in ``programs/``, written as a LangGraph user writes it (it imports from
``langgraph.*``) and defining ``main()`` (sync or async) that returns something comparable.
``load(path, "graphstage")`` rewrites its ``from langgraph... import`` lines through
``IMPORTS`` and nothing else. Results are normalised before comparing: message ids (random
on both sides) become ``id0``, ``id1``... in order of appearance, messages become plain
tuples, an exception becomes ``("raised", class name, first line)``, a dataclass or
pydantic instance ``(class name, fields)`` (each side's module defines its own class).

A program where graphstage differs on purpose sets ``DIFFERS = "why"`` and defines
``check_difference(langgraph_result, graphstage_result)``, asserting the difference.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import inspect
import re
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel

PROGRAMS = Path(__file__).parent / "programs"

IMPORTS = {
    "langgraph.graph": "graphstage",
    "langgraph.graph.state": "graphstage",
    "langgraph.graph.message": "graphstage",
    "langgraph.constants": "graphstage",
    "langgraph.config": "graphstage",
    "langgraph.runtime": "graphstage",
    "langgraph.managed": "graphstage",
    "langgraph.managed.is_last_step": "graphstage",
    "langgraph.cache.memory": "graphstage",
    "langgraph.func": "graphstage.func",
    "langgraph.types": "graphstage.types",
    "langgraph.errors": "graphstage.errors",
    "langgraph.checkpoint.memory": "graphstage.checkpoint.memory",
    "langgraph.checkpoint.sqlite": "graphstage.checkpoint.sqlite",
    "langgraph.checkpoint.sqlite.aio": "graphstage.checkpoint.sqlite",
    "langgraph.store.memory": "graphstage.store.memory",
    "langgraph.store.base": "graphstage.store",
    "langgraph.prebuilt": "graphstage.langgraph.agents",
    "langgraph.prebuilt.interrupt": "graphstage.langgraph.agents",
    "langgraph.prebuilt.chat_agent_executor": "graphstage.langgraph.agents",
    "langchain.agents": "graphstage.langgraph.agents",
}
"""LangGraph module -> the graphstage module a program imports the same names from."""

_FROM = re.compile(r"^(\s*from\s+)(langgraph(?:\.\w+)*|langchain\.agents)(\s+import\b)", re.M)


def source_for(path: Path, target: str) -> str:
    """The program's source for ``target`` ("langgraph" or "graphstage")."""
    text = path.read_text()
    if target == "langgraph":
        return text

    def switch(match: re.Match[str]) -> str:
        module = match.group(2)
        if module not in IMPORTS:
            raise KeyError(f"{path.name}: no graphstage counterpart for {module} in IMPORTS")
        return f"{match.group(1)}{IMPORTS[module]}{match.group(3)}"

    return _FROM.sub(switch, text)


def load(path: Path, target: str) -> ModuleType:
    """The program as a fresh module, importing from ``target``."""
    name = f"compat_{path.stem}_{target}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(path)
    sys.modules[name] = module  # typing.get_type_hints looks the module's globals up there
    exec(compile(source_for(path, target), str(path), "exec"), module.__dict__)
    return module


def run(path: Path, target: str, timeout: float = 20.0) -> tuple[ModuleType | None, Any]:
    """Run the program's ``main()`` on ``target``; return it and its normalised result."""
    module = None
    try:
        module = load(path, target)
        main = module.main
        if inspect.iscoroutinefunction(main):
            result = asyncio.run(asyncio.wait_for(main(), timeout))
        else:
            result = main()
    except Exception as exc:  # the same exception on both sides is a result too
        return module, ("raised", type(exc).__name__, str(exc).splitlines()[:1])
    return module, normalise(result)


def normalise(value: Any) -> Any:
    """``value`` with random ids replaced in order of appearance, messages as tuples."""
    ids: dict[str, str] = {}

    def rename(text: str) -> str:
        if text not in ids:
            ids[text] = f"id{len(ids)}"
        return ids[text]

    def walk(v: Any) -> Any:
        message = _message_tuple(v, walk, rename)
        if message is not None:
            return message
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            # each side's module defines its own class: compare by name and fields
            fields = {f.name: walk(getattr(v, f.name)) for f in dataclasses.fields(v)}
            return (type(v).__name__, fields)
        if isinstance(v, BaseModel):
            return (type(v).__name__, {k: walk(getattr(v, k)) for k in type(v).model_fields})
        if isinstance(v, (list, tuple)):
            return type(v)(walk(x) for x in v) if not hasattr(v, "_fields") else tuple(map(walk, v))
        if isinstance(v, str) and _looks_random(v):
            return rename(v)
        if isinstance(v, BaseException):
            return ("raised", type(v).__name__)
        return v

    return walk(value)


def _looks_random(text: str) -> bool:
    if text.startswith(("run-", "lc_run--", "call_")):
        return True
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _message_tuple(v: Any, walk: Any, rename: Any) -> tuple[Any, ...] | None:
    try:
        from langchain_core.messages import BaseMessage
    except ImportError:
        return None
    if not isinstance(v, BaseMessage):
        return None
    extra = [walk(getattr(v, name)) for name in ("tool_calls", "tool_call_id") if hasattr(v, name)]
    ident = rename(v.id) if v.id else None
    return (type(v).__name__, walk(v.content), v.name, ident, *extra)


def programs() -> list[Path]:
    """Every program, sorted by name."""
    return sorted(p for p in PROGRAMS.glob("*.py") if not p.name.startswith("_"))
