"""``frozen``: a frozen, slotted dataclass whose ``__init__`` is cheap enough for a hot path.

A frozen dataclass assigns each field through ``object.__setattr__`` (about 0.25 µs a
field on CPython 3.11); events and messages are built several times per transition, so
``frozen`` swaps in an ``__init__`` that stores through the slot descriptors directly
(about a third of the cost). Everything else is the stock dataclass: repr, eq, hash,
immutability, pickling.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def frozen(cls: type[T] | None = None, *, kw_only: bool = False) -> Any:
    """Decorate like ``@dataclass(frozen=True, slots=True, kw_only=...)``."""

    def wrap(klass: type[T]) -> type[T]:
        made = dataclasses.dataclass(frozen=True, slots=True, kw_only=kw_only)(klass)
        made.__init__ = _fast_init(made)  # type: ignore[method-assign]
        made._positional = staticmethod(_positional(made))  # type: ignore[attr-defined]
        return made

    return wrap if cls is None else wrap(cls)


def _positional(cls: type[Any]) -> Any:
    """``cls._positional(*values)``: an instance from every init field's value in field
    order (trailing defaults may be left out), kw-only fields included: how a run builds
    the events it recorded as plain tuples when someone reads them (see ``Run``)."""
    fields = [f for f in dataclasses.fields(cls) if f.init]
    env: dict[str, Any] = {"__object_new": object.__new__, "__cls": cls}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        env[f"_set_{f.name}"] = inspect.getattr_static(cls, f.name).__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        else:
            params.append(f.name)
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = (
        f"def _positional({', '.join(params)}):\n    self = __object_new(__cls)\n"
        + "\n".join(body)
        + "\n    return self\n"
    )
    exec(source, env)
    made = env["_positional"]
    made.__qualname__ = f"{cls.__qualname__}._positional"
    return made


def _fast_init(cls: type[Any]) -> Any:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    env: dict[str, Any] = {"__object_new": object.__new__}
    params_pos: list[str] = []
    params_kw: list[str] = []
    body: list[str] = []
    for f in fields:
        env[f"_set_{f.name}"] = inspect.getattr_static(cls, f.name).__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default_{f.name}"] = f.default
            param = f"{f.name}=_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: frozen() does not support default_factory")
        else:
            param = f.name
        (params_kw if f.kw_only else params_pos).append(param)
        body.append(f"    _set_{f.name}(self, {f.name})")
    signature = ", ".join(["self", *params_pos, *(["*", *params_kw] if params_kw else [])])
    source = f"def __init__({signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    return init
