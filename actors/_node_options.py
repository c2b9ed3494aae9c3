"""How ``add_node`` wraps a node's function with its policies, and
``StateGraph.set_node_defaults`` (LangGraph 1.2): graph-wide policies for the nodes that did
not set their own, applied when the graph is compiled.

The wrapping order is LangGraph's: the timeout bounds each attempt, the retry policy repeats
attempts, the error handler answers for the node once the retries are spent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ._error_handler import handler_name, with_error_handler
from ._node import NodeSpec
from ._policies import timeout_problem, timeout_seconds, with_retry, with_timeout

if TYPE_CHECKING:
    from ._graph import CompiledGraph

DEFAULTABLE = ("retry_policy", "cache_policy", "error_handler", "timeout")
"""What ``set_node_defaults`` may set."""


@dataclass(frozen=True, slots=True)
class NodeOptions:
    """The policies a node was added with (None: not set, a default may apply)."""

    action: Callable[..., Any]
    """The node's own function."""
    retry_policy: Any = None
    timeout: Any = None
    error_handler: Callable[..., Any] | None = None


def node_function(
    node: str, options: NodeOptions, defaults: dict[str, Any], problems: list[str]
) -> Callable[..., Any]:
    """``options.action`` wrapped with its policies, each falling back to ``defaults``;
    what cannot be done is appended to ``problems`` (``compile()`` reports them)."""
    from ._subgraph import SubgraphNode

    fn = action = options.action
    if isinstance(action, SubgraphNode):  # a subgraph's retries and timeouts are its nodes'
        if options.error_handler is not None:  # its failure is answered here, as LangGraph
            fn = with_error_handler(
                NodeSpec(node, action), NodeSpec(handler_name(node), options.error_handler)
            )
        return fn
    timeout = options.timeout if options.timeout is not None else defaults.get("timeout")
    seconds, problem = (None, None) if timeout is None else timeout_seconds(timeout, node)
    if seconds is not None:
        problem = timeout_problem(action, node)
        if not problem:
            fn = with_timeout(action, node, seconds)
    if problem:
        problems.append(problem)
    retry = options.retry_policy or defaults.get("retry_policy")
    fn = with_retry(fn, retry) if retry else fn
    handler = options.error_handler or defaults.get("error_handler")
    if handler is not None:
        fn = with_error_handler(NodeSpec(node, fn), NodeSpec(handler_name(node), handler))
    return fn


def uses_defaults(options: NodeOptions, defaults: dict[str, Any]) -> bool:
    """Whether a default changes how this node runs (it left that policy unset)."""
    return any(
        getattr(options, name) is None
        for name in ("retry_policy", "timeout", "error_handler")
        if name in defaults
    )


def send_spec(graph: CompiledGraph, node: str, seconds: float) -> NodeSpec:
    """``node`` as a ``Send(node, arg, timeout=seconds)`` runs it: its own function with its
    retry policy and error handler, each attempt bounded by the Send's timeout instead of
    the node's (LangGraph 1.2's per-Send ``TimeoutPolicy``). Made once per graph, node and
    timeout. A sync node runs as it is, as LangGraph runs it (a worker thread cannot be
    cancelled; ``add_node(timeout=...)`` refuses it, a Send's timeout does not)."""
    key = (node, seconds)
    spec = graph._send_specs.get(key)
    if spec is None:
        own = graph.nodes[node]
        options = graph.builder._options.get(node)
        if options is None or timeout_problem(options.action, node):
            return own  # nothing this timeout can bound (see above)
        timed = replace(options, timeout=seconds)
        # (no problem to report: an async node, a timeout already checked by Send)
        fn = node_function(node, timed, graph.builder._defaults, [])
        spec = graph._send_specs[key] = NodeSpec(node, fn, own.on_cancel, own.destinations)
    return spec
