"""From LangGraph's test_pydantic.py (test_nested_pydantic_models,
test_pydantic_state_field_validator): a pydantic state with nested models, a forward
reference, a discriminated union, rich types (UUID, IP addresses, Decimal, Path, datetimes,
frozenset, bytes, Pattern, SecretStr, ByteSize), constrained types, an Enum and a Literal:
the node gets every field validated (equal to the model built from the input, each of its
rich types); the node's update is what the result shows for the keys it wrote. (The raw
input values are returned by LangGraph and validated by graphstage, a difference on
purpose, see pydantic_state_docs; so is a written dict, kept as the model it validates to.)
A field_validator and a model_validator run on the input."""

import datetime
import decimal
import ipaddress
import pathlib
import re
import uuid
from enum import Enum
from typing import Annotated, Literal, Optional

from langgraph.graph import END, START, StateGraph
from pydantic import (
    BaseModel,
    ByteSize,
    Field,
    SecretStr,
    confloat,
    conint,
    conlist,
    constr,
    field_validator,
    model_validator,
)


class NestedModel(BaseModel):
    value: int
    name: str


PositiveInt = Annotated[int, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]


class UserRole(Enum):
    ADMIN = "admin"
    USER = "user"


class RecursiveModel(BaseModel):
    value: str
    child: Optional["RecursiveModel"] = None


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meow: str


class Dog(BaseModel):
    pet_type: Literal["dog"]
    bark: str


class Person(BaseModel):
    id: str
    name: str
    friends: list[str] = Field(default_factory=list)


class State(BaseModel):
    top_level: str
    auuid: uuid.UUID
    nested: NestedModel
    optional_nested: Annotated[NestedModel | None, lambda x, y: y, "Foo"]
    dict_nested: dict[str, NestedModel]
    tuple_nested: tuple[str, NestedModel]
    recursive: RecursiveModel
    pet: Cat | Dog
    people: dict[str, Person]
    ip_address: ipaddress.IPv4Address
    ip_address_v6: ipaddress.IPv6Address
    amount: decimal.Decimal
    file_path: pathlib.Path
    timestamp: datetime.datetime
    duration: datetime.timedelta
    immutable_set: frozenset[int]
    binary_data: bytes
    pattern: re.Pattern
    secret: SecretStr
    file_size: ByteSize
    positive_value: PositiveInt
    non_negative: NonNegativeFloat
    limited_string: constr(min_length=3, max_length=10)
    bounded_int: conint(ge=10, le=100)
    restricted_float: confloat(gt=0, lt=1)
    required_list: conlist(item_type=int, min_length=2, max_length=5)
    role: UserRole
    status: Literal["active", "inactive", "pending"]


inputs = {
    "top_level": "initial",
    "auuid": "12345678-1234-5678-1234-567812345678",
    "nested": {"value": 42, "name": "test"},
    "optional_nested": {"value": 10, "name": "optional"},
    "dict_nested": {"a": {"value": 5, "name": "a"}},
    "tuple_nested": ["tuple-key", {"value": 7, "name": "tuple-value"}],
    "recursive": {"value": "parent", "child": {"value": "child", "child": None}},
    "pet": {"pet_type": "cat", "meow": "meow!"},
    "people": {"1": {"id": "1", "name": "Alice", "friends": ["2"]}},
    "ip_address": "192.168.1.1",
    "ip_address_v6": "2001:db8::1",
    "amount": "123.45",
    "file_path": "/tmp/test.txt",
    "timestamp": "2025-04-07T10:58:04",
    "duration": 3600,
    "immutable_set": [1, 2, 3, 4],
    "binary_data": b"hello world",
    "pattern": "^test$",
    "secret": "password123",
    "file_size": 1024,
    "positive_value": 42,
    "non_negative": 0.0,
    "limited_string": "test",
    "bounded_int": 50,
    "restricted_float": 0.5,
    "required_list": [10, 20, 30],
    "role": "admin",
    "status": "active",
}
update = {"top_level": "updated", "nested": {"value": 100, "name": "updated"}}
checks = []


def node_fn(state: State) -> dict:
    checks.append(state == State(**inputs))
    checks.append(
        [
            type(getattr(state, name)).__name__
            for name in ("auuid", "ip_address", "amount", "timestamp", "duration", "role")
        ]
    )
    checks.append((state.pet.meow, state.recursive.child.value, state.file_size))
    return update


class Named(BaseModel):
    name: str
    text: str = ""
    only_root: int = 13

    @field_validator("name", mode="after")
    @classmethod
    def validate_name(cls, value):
        if value[0].islower():
            raise ValueError("Name must start with a capital letter")
        return "Validated " + value

    @model_validator(mode="before")
    @classmethod
    def validate_amodel(cls, values):
        return values | {"only_root": 392}


def process_node(state: Named):
    checks.append((state.name, state.only_root))
    return {"text": "Hello, " + state.name + "!"}


def main():
    builder = StateGraph(State)
    builder.add_node("process", node_fn)
    builder.set_entry_point("process")
    builder.set_finish_point("process")
    result = builder.compile().invoke(dict(inputs))
    # graphstage keeps a written value as validated (a NestedModel), LangGraph as written
    shown = {k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in result.items()}
    out = [{k: shown[k] for k in update}, sorted(result)]
    named = StateGraph(state_schema=Named)
    named.add_node("process", process_node)
    named.add_edge(START, "process")
    named.add_edge("process", END)
    out.append(named.compile().invoke({"name": "John"})["text"])
    try:
        named.compile().invoke({"name": "john"})
    except ValueError as exc:
        out.append(("ValueError", type(exc).__name__))
    out.append(checks)
    return out
