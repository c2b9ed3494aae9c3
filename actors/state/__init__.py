"""The state layer: schemas, channels (how a field merges), reducers and managed values.

Apart from the supervisor, which only asks a ``StateSchema`` to validate and merge.
"""

from .channels import Channel, Overwrite
from .fields import MISSING, IsLastStep, RemainingSteps, schema_kind
from .schema import StateSchema

__all__ = [
    "MISSING",
    "Channel",
    "IsLastStep",
    "Overwrite",
    "RemainingSteps",
    "StateSchema",
    "schema_kind",
]
