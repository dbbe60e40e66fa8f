"""Wire models built from the hub's own rows without validation, as ``model_construct`` builds them, faster.

A pull page carries up to 1,000 entries. ``model_construct`` spends about
4.5 µs on each, looking for aliases and defaults of a row that holds every
field; the page's whole JSON takes about 1.2 µs an entry. For a plain
model (no root model, no ``model_post_init``, no extra fields kept, every
field given) ``from_row`` sets the very state ``model_construct`` sets;
tests/sync/test_stored_models.py compares the two for every model the feed
builds. Any other model, or a row missing a field, goes through
``model_construct``. The rows were checked when they came in, and a pull
must not fail on one an older hub stored (see feed._program).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


@lru_cache(maxsize=32)
def _plain_fields(model: type[BaseModel]) -> tuple[str, ...] | None:
    """The model's field names when ``from_row`` may build it directly, else None."""
    plain = (not model.__pydantic_root_model__ and model.__pydantic_post_init__ is None
             and model.model_config.get("extra") != "allow" and not model.__private_attributes__
             and all(field.alias is None and field.validation_alias is None
                     for field in model.__pydantic_fields__.values()))
    return tuple(model.__pydantic_fields__) if plain else None


def from_row(model: type[M], row: Mapping[str, Any]) -> M:
    names = _plain_fields(model)
    try:
        values = {name: row[name] for name in names} if names is not None else None
    except KeyError:
        values = None
    if values is None:
        return model.model_construct(**{k: row[k] for k in model.model_fields if k in row})
    built = model.__new__(model)
    _set(built, "__dict__", values)
    _set(built, "__pydantic_fields_set__", set(values))
    _set(built, "__pydantic_extra__", None)
    _set(built, "__pydantic_private__", None)
    return built
