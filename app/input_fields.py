"""Which state fields the input form offers, for a graph without an input schema.

LangGraph's input schema defaults to the state schema: any field may be passed in, and
LangGraph Studio's form shows every one. But a field that only a node writes (``result``,
``summary``) is not an input: offered in the form, it reads as something to fill in. So,
without an ``input_schema``, the form shows a field when

* the state requires it (no default): the graph cannot start without it; or
* a node or a conditional edge's path function reads it (``state.x``, ``state["x"]``,
  ``state.get("x")``, ``getattr(state, "x")``, found in the function's source).

The rest (fields that no node reads) are left out, behind the form's *Show all fields*
box, which offers every field again: every graph stays runnable with any input
LangGraph accepts. When a node's reads cannot be told (no source, the state passed on to
another function, a key computed at run time, a callable object, or over ``MAX_FUNCTIONS``
distinct functions to read), every field is offered, as before. A subgraph node reads
what its own nodes read (or its own input schema's fields). With an ``input_schema`` the
schema says it all: its fields, nothing else. Qt-free and pure.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterable
from typing import Any

WHOLE_STATE = frozenset(
    {"model_dump", "dict", "items", "keys", "values", "copy", "model_copy", "__dict__"}
)
"""Attributes of the state that hand a node every field at once."""


MAX_FUNCTIONS = 100
"""Graphs with more distinct node functions than this are not read: every field offered."""


def fields_read(graph: Any, fields: Iterable[str]) -> set[str] | None:
    """The ``fields`` some node or path function of ``graph`` reads; None when that
    cannot be told for one of them (then every field counts as read)."""
    names = set(fields)
    read: set[str] = set()
    subgraphs = dict(graph.get_subgraphs())
    for sub in subgraphs.values():  # a subgraph node reads what its own nodes read
        inner = _declared_input(sub) or fields_read(sub, names)
        if inner is None:
            return None
        read |= inner & names
    functions: list[Any] = [s.fn for n, s in graph.nodes.items() if n not in subgraphs]
    functions += [b.path for branches in graph.branches.values() for b in branches]
    # one reading per function (a 1,000-node chain often runs one function 1,000 times);
    # past MAX_FUNCTIONS the source is not read (a second of the GUI thread): every field
    distinct = {_code_of(fn): fn for fn in functions}
    if len(distinct) > MAX_FUNCTIONS:
        return None
    for fn in distinct.values():
        found = _reads_of(fn, names)
        if found is None:
            return None
        read |= found
    return read


def _code_of(fn: Any) -> Any:
    """What identifies a function's source: its code object, else the object itself."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    code = getattr(inspect.unwrap(fn), "__code__", None)
    return code if code is not None else id(fn)


def _declared_input(graph: Any) -> set[str] | None:
    """The fields of ``graph``'s own ``input_schema``, if it has one."""
    schema = getattr(getattr(graph, "builder", None), "input_schema", None)
    if not isinstance(schema, type) or schema is getattr(graph, "state_schema", None):
        return None
    fields = getattr(schema, "model_fields", None)  # pydantic
    if isinstance(fields, dict):
        return set(fields)
    if dataclasses.is_dataclass(schema):
        return {f.name for f in dataclasses.fields(schema)}
    return set(typing.get_type_hints(schema))  # a TypedDict


def _reads_of(fn: Callable[..., Any], fields: set[str]) -> set[str] | None:
    while isinstance(fn, functools.partial):
        fn = fn.func
    fn = inspect.unwrap(fn)
    if not (inspect.isfunction(fn) or inspect.ismethod(fn)):
        return None  # a subgraph node, a Runnable, a callable object: cannot tell
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None  # no source (a REPL, a C function), or a lambda mid-expression
    target = _the_function(tree, fn.__name__)
    if target is None:
        return None
    params = [a.arg for a in (*target.args.posonlyargs, *target.args.args)]
    if inspect.ismethod(fn) and params:
        params = params[1:]  # self
    if not params:
        return set()  # a node that takes no state reads nothing
    return _accesses(target, params[0], fields)


def _the_function(
    tree: ast.AST, name: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
    """The function ``name`` defined in ``tree`` (a lambda: the only lambda there)."""
    if name == "<lambda>":
        lambdas = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
        return lambdas[0] if len(lambdas) == 1 else None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    return None


def _accesses(
    function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, state: str, fields: set[str]
) -> set[str] | None:
    """The fields read through parameter ``state``; None on any other use of it."""
    read: set[str] = set()
    used: set[int] = set()  # ids of the Name nodes accounted for
    body = function.body if isinstance(function.body, list) else [function.body]
    for statement in body:
        for node in ast.walk(statement):
            name: str | None = None
            holder: ast.expr | None = None
            if isinstance(node, ast.Attribute) and _is(node.value, state):
                holder = node.value
                if node.attr == "get":
                    continue  # state.get("x"): the call below names the field
                if node.attr in WHOLE_STATE:
                    return None
                name = node.attr
            elif isinstance(node, ast.Subscript) and _is(node.value, state):
                holder = node.value
                if not (isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                    return None  # state[key]: any field
                name = node.slice.value
            elif isinstance(node, ast.Call) and _named_call(node, state):
                holder = node.func.value if isinstance(node.func, ast.Attribute) else node.args[0]
                key = node.args[1] if isinstance(node.func, ast.Name) else node.args[0]
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    return None
                name = key.value
            if holder is not None:
                used.add(id(holder))
                if name is not None and name in fields:
                    read.add(name)
        for node in ast.walk(statement):
            if _is(node, state) and id(node) not in used:
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    return None  # the parameter rebound: later uses are not the state
                return None  # the state passed on, iterated, unpacked: any field
    return read


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _named_call(node: ast.Call, state: str) -> bool:
    """``state.get(<key>...)`` or ``getattr(state, <key>...)``."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is(func.value, state):
        return bool(node.args)
    if isinstance(func, ast.Name) and func.id == "getattr":
        return len(node.args) >= 2 and _is(node.args[0], state)
    return False


def input_fields(graph: Any, fields: Iterable[str], required: Iterable[str]) -> set[str] | None:
    """The fields the form shows for ``graph`` without an input schema (see the module's
    docstring); None: all of them."""
    names = list(fields)
    read = fields_read(graph, names)
    if read is None:
        return None
    return read | set(required)
