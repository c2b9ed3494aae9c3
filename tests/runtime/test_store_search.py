"""Semantic search in ``InMemoryStore(index=...)``: the same puts and queries on graphstage's
store and on LangGraph's give the same items, in the same order, with the same scores."""

from __future__ import annotations

import asyncio
import sys
import zlib
from collections.abc import Sequence
from typing import Any, TypedDict

import pytest

from graphstage import START, Runtime, StateGraph
from graphstage.store import BaseStore
from graphstage.store.memory import InMemoryStore

pytestmark = pytest.mark.timeout(30)
lg_memory = pytest.importorskip("langgraph.store.memory", reason="pip install -e '.[bench]'")
LGStore = lg_memory.InMemoryStore

DIMS = 16


def embed_texts(texts: Sequence[str]) -> list[list[float]]:
    """A deterministic bag of words: texts sharing words point the same way."""
    out = []
    for text in texts:
        vector = [0.0] * DIMS
        for word in text.lower().split():
            h = zlib.crc32(word.strip('.,!?"{}[]:').encode())
            vector[h % DIMS] += 1.0 + (h >> 8) % 7 / 10
        out.append(vector)
    return out


Row = tuple[tuple[str, ...], str, dict[str, Any], float | None]


def rows(items: Sequence[Any]) -> list[Row]:
    return [(tuple(i.namespace), i.key, i.value, i.score) for i in items]


def assert_same(got: list[Row], expected: list[Row]) -> None:
    assert [r[:3] for r in got] == [r[:3] for r in expected]
    for (*_, a), (*_, b) in zip(got, expected, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert isinstance(a, float)
            assert a == pytest.approx(b, abs=1e-9)


MEMORIES = [
    (("ann", "memories"), "1", {"text": "I love pizza", "kind": "food"}),
    (("ann", "memories"), "2", {"text": "I am a plumber", "kind": "job"}),
    (("ann", "memories"), "3", {"text": "pizza with pineapple is wrong", "kind": "food"}),
    (("ann", "notes"), "4", {"text": "fix the sink on friday", "kind": "job", "n": 3}),
    (("bob", "memories"), "5", {"text": "I love long walks", "kind": "hobby"}),
    (("ann", "memories"), "6", {"system": "last updated monday"}),  # no "text" field
]


def session(store: Any) -> list[list[Row]]:
    for namespace, key, value in MEMORIES:
        store.put(namespace, key, value)
    store.put(("ann", "memories"), "7", {"text": "pizza pizza pizza"}, index=False)
    store.put(("ann", "memories"), "1", {"text": "I love pizza and pasta", "kind": "food"})
    store.put(("ann", "memories"), "8", {"title": "sink", "text": "plumber"}, index=["title"])
    return [
        rows(store.search(("ann",), query="I am hungry for pizza")),
        rows(store.search(("ann", "memories"), query="plumber sink", limit=2)),
        rows(store.search(("ann",), query="pizza", filter={"kind": "food"})),
        rows(store.search(("ann",), query="pizza", offset=2, limit=3)),
        rows(store.search(("ann",), query="pizza", offset=20, limit=3)),  # only scoreless
        rows(store.search(("ann",), query="job", filter={"kind": {"$ne": "food"}})),
        rows(store.search(("ann",), filter={"kind": "food"})),  # no query: score None
        rows(store.search(("zed",), query="pizza")),
        rows(store.search((), query="walks")),
    ]


@pytest.mark.parametrize(
    "index",
    [
        {"dims": DIMS, "embed": embed_texts},  # the whole value as JSON ("$")
        {"dims": DIMS, "embed": embed_texts, "fields": ["text"]},
        {"dims": DIMS, "embed": embed_texts, "fields": ["text", "kind"]},  # best field counts
        {"dims": DIMS, "embed": embed_texts, "fields": ["{text,kind}", "system"]},
    ],
    ids=["whole-value", "text", "two-fields", "multi-field"],
)
def test_search_by_meaning_answers_as_langgraphs_store(index: dict[str, Any]) -> None:
    got, expected = session(InMemoryStore(index=index)), session(LGStore(index=index))
    for g, e in zip(got, expected, strict=True):
        assert_same(g, e)
    assert got[0][0][3] is not None  # ranked, really
    assert got[4] and all(r[3] is None for r in got[4])


def test_json_paths_pick_the_same_texts() -> None:
    """Nested fields, list items ([*], [0], [-1]) each their own vector, wildcards."""
    value = {
        "title": "report",
        "meta": {"author": "ann", "tags": ["plumbing", "pizza"]},
        "chapters": [{"body": "the sink leaks"}, {"body": "pizza party"}, {"body": None}],
        "n": 3,
    }
    seen: dict[str, list[list[str]]] = {"graphstage": [], "langgraph": []}
    for name, cls in (("graphstage", InMemoryStore), ("langgraph", LGStore)):

        def spy(texts: Sequence[str], name: str = name) -> list[list[float]]:
            seen[name].append(list(texts))
            return embed_texts(texts)

        fields = ["meta.author", "chapters[*].body", "meta.tags[-1]", "*", "missing"]
        store = cls(index={"dims": DIMS, "embed": spy, "fields": fields})
        store.put(("docs",), "a", value)
        store.put(("docs",), "b", {"chapters": [{"body": "sink"}]}, index=["chapters[0].body"])
        seen[name].append([str(rows(store.search(("docs",), query="pizza sink")))])
    assert seen["graphstage"] == seen["langgraph"]
    assert "the sink leaks" in seen["graphstage"][0]


def test_async_embeds_with_the_async_methods_as_langgraph() -> None:
    lc = pytest.importorskip("langchain_core.embeddings")

    class Spy(lc.Embeddings):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self.calls: list[str] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.calls.append("embed_documents")
            return embed_texts(texts)

        def embed_query(self, text: str) -> list[float]:
            self.calls.append("embed_query")
            return embed_texts([text])[0]

        async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
            self.calls.append("aembed_documents")
            return embed_texts(texts)

        async def aembed_query(self, text: str) -> list[float]:
            self.calls.append("aembed_query")
            return embed_texts([text])[0]

    async def run(cls: Any) -> tuple[list[str], list[list[Row]]]:
        spy = Spy()
        store = cls(index={"dims": DIMS, "embed": spy, "fields": ["text"]})
        for namespace, key, value in MEMORIES:
            await store.aput(namespace, key, value)
        found = [rows(await store.asearch(("ann",), query="pizza", limit=3))]
        store.put(("ann", "memories"), "9", {"text": "pizza at noon"})
        found.append(rows(store.search(("ann",), query="pizza noon", limit=2)))
        return spy.calls, found

    (calls, got), (lg_calls, expected) = asyncio.run(run(InMemoryStore)), asyncio.run(run(LGStore))
    assert calls == lg_calls
    assert calls[:2] == ["aembed_documents", "aembed_documents"]
    assert calls[-2:] == ["embed_documents", "embed_query"]
    for g, e in zip(got, expected, strict=True):
        assert_same(g, e)


def test_an_async_embed_function_serves_aput_and_asearch_and_sync_refuses() -> None:
    async def aembed(texts: Sequence[str]) -> list[list[float]]:
        return embed_texts(texts)

    async def run(cls: Any) -> tuple[list[Row], str]:
        store = cls(index={"dims": DIMS, "embed": aembed})
        for namespace, key, value in MEMORIES:
            await store.aput(namespace, key, value)
        found = rows(await store.asearch(("ann",), query="plumber"))
        with pytest.raises(ValueError) as refused:
            store.put(("ann",), "x", {"text": "sync"})
        return found, str(refused.value)

    (got, error), (expected, lg_error) = asyncio.run(run(InMemoryStore)), asyncio.run(run(LGStore))
    assert_same(got, expected)
    assert error == lg_error and "async function but no sync function" in error


def test_a_query_without_an_index_is_ignored_as_in_langgraph() -> None:
    results = []
    for cls in (InMemoryStore, LGStore):
        store = cls()
        for namespace, key, value in MEMORIES:
            store.put(namespace, key, value, index=["text"])  # ignored without an index
        results.append(rows(store.search(("ann",), query="pizza", limit=3)))
    assert_same(*results)
    assert [r[3] for r in results[0]] == [None, None, None]


def test_putting_again_replaces_the_items_vectors() -> None:
    """On purpose unlike LangGraph, which keeps the old text's vector after index=False."""
    store = InMemoryStore(index={"dims": DIMS, "embed": embed_texts, "fields": ["text"]})
    store.put(("a",), "k", {"text": "pizza"})
    store.put(("a",), "j", {"text": "plumber"})
    store.put(("a",), "k", {"text": "pizza"}, index=False)
    assert [(i.key, i.score) for i in store.search(("a",), query="pizza")] == [
        ("j", pytest.approx(0.0)),
        ("k", None),
    ]
    store.delete(("a",), "j")
    assert [(i.key, i.score) for i in store.search(("a",), query="pizza")] == [("k", None)]


def test_one_text_at_two_paths_is_embedded_once() -> None:
    """LangGraph raises "Number of embeddings (1) does not match number of indices (2)"."""
    calls: list[list[str]] = []

    def spy(texts: Sequence[str]) -> list[list[float]]:
        calls.append(list(texts))
        return embed_texts(texts)

    store = InMemoryStore(index={"dims": DIMS, "embed": spy, "fields": ["a", "b"]})
    store.put(("x",), "k", {"a": "same words", "b": "same words"})
    assert calls == [["same words"]]
    assert store.search(("x",), query="same words")[0].score == pytest.approx(1.0)


def error_of(call: Any) -> tuple[str, str]:
    try:
        call()
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return "no error", ""


def test_a_bad_index_config_is_named() -> None:
    for config in ({"dims": DIMS}, {"dims": DIMS, "embed": None}):  # as LangGraph's words
        expected = error_of(lambda c=config: LGStore(index=c))
        assert error_of(lambda c=config: InMemoryStore(index=c)) == expected
        assert expected == ("ValueError", "embed must be provided")
    # LangGraph does not check dims, nor {}: neither does graphstage
    assert InMemoryStore(index={"embed": embed_texts}).search(("a",), query="x") == []
    assert InMemoryStore(index={}).index_config is None  # type: ignore[typeddict-item]
    # LangGraph takes these and fails later (or indexes the letters of "text"): refused now
    with pytest.raises(TypeError, match=r"'embed' must be an Embeddings object.*not int"):
        InMemoryStore(index={"dims": DIMS, "embed": 42})
    with pytest.raises(TypeError, match=r"'fields' must be a list of JSON paths.*not str"):
        InMemoryStore(index={"dims": DIMS, "embed": embed_texts, "fields": "text"})  # type: ignore[typeddict-item]
    store = InMemoryStore(index={"dims": DIMS, "embed": embed_texts})
    with pytest.raises(TypeError, match=r"put\(index=...\) must be a list of JSON paths"):
        store.put(("a",), "k", {"text": "x"}, index="text")
    with pytest.raises(ValueError, match=r"Number of embeddings \(0\) does not match"):
        InMemoryStore(index={"dims": DIMS, "embed": lambda texts: []}).put(("a",), "k", {"t": 1})
    with pytest.raises(NotImplementedError, match="TTL is not supported by InMemoryStore"):
        store.put(("a",), "k", {"text": "x"}, ttl=5)


def test_a_provider_string_needs_its_package() -> None:
    pytest.importorskip("langchain.embeddings")
    try:
        import langchain_openai  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("langchain-openai is installed")
    config = {"dims": 1536, "embed": "openai:text-embedding-3-small"}
    got = error_of(lambda: InMemoryStore(index=config))  # type: ignore[arg-type]
    assert got == error_of(lambda: LGStore(index=config))
    assert got[0] == "ImportError" and "langchain-openai" in got[1]


class State(TypedDict):
    question: str
    found: list[str]


def test_a_node_searches_by_meaning_through_the_store_and_runtime() -> None:
    def recall(state: State, *, store: BaseStore) -> dict[str, Any]:
        items = store.search(("ann", "memories"), query=state["question"], limit=2)
        return {"found": [i.value["text"] for i in items]}

    async def recall_more(state: State, runtime: Runtime[Any]) -> dict[str, Any]:
        assert runtime.store is not None
        items = await runtime.store.asearch(("ann",), query=state["question"], limit=1)
        return {"found": state["found"] + [i.value["text"] for i in items]}

    store = InMemoryStore(index={"dims": DIMS, "embed": embed_texts, "fields": ["text"]})
    for namespace, key, value in MEMORIES:
        store.put(namespace, key, value)
    b = StateGraph(State).add_node("recall", recall).add_node("recall_more", recall_more)
    b.add_edge(START, "recall").add_edge("recall", "recall_more")
    out = asyncio.run(b.compile(store=store).ainvoke({"question": "fix the sink plumber"}))
    assert out["found"] == ["I am a plumber", "I love pizza", "fix the sink on friday"]


def test_a_provider_string_without_langchain_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain.embeddings", None)  # import fails
    with pytest.raises(ValueError, match=r"needs the package langchain>=0\.3\.9"):
        InMemoryStore(index={"dims": 8, "embed": "openai:text-embedding-3-small"})


def test_namespaces_are_checked_and_ordered_as_langgraphs() -> None:
    """Labels are checked by get/search/delete too, with LangGraph's errors; a get on a new
    namespace gives it its place in search's order, as in LangGraph's store."""
    got = []
    for cls in (InMemoryStore, LGStore):
        store = cls(index={"dims": DIMS, "embed": embed_texts})
        store.get(("b",), "nothing")
        store.put(("a",), "k", {"text": "pizza"})
        store.put(("b",), "k", {"text": "pizza"})
        errors = [
            error_of(lambda s=store: s.search(("a.b",), query="x")),
            error_of(lambda s=store: s.get(("a", ""), "k")),
            error_of(lambda s=store: s.delete(("a\x00",), "k")),
            error_of(lambda s=store: s.list_namespaces(prefix=("a.b",))),
        ]
        got.append((rows(store.search((), query="pizza")), errors))
    assert_same(got[0][0], got[1][0])
    assert [r[0] for r in got[0][0]] == [("b",), ("a",)]
    assert got[0][1] == got[1][1]
    assert {e[0] for e in got[0][1]} == {"InvalidNamespaceError"}
