"""Pickling the matching index fast: its profiles are pickled as their fields' values."""

import dataclasses
import pickle
from typing import Any

from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo, Technology

PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL
#: The frozen dataclasses an index holds by the ten thousand: pickled as their fields in
#: order and made again without ``dataclasses``' generic ``__setstate__`` (which looks up the
#: fields of every object it makes: two thirds of the time to read an index).
FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls))
    for cls in (OrgProfile, ProjectInfo, Technology)
}


def _made_again(cls: type, values: tuple[Any, ...]) -> object:
    """An object of one of ``FIELDS``' classes from its fields' values, in order."""
    made: object = object.__new__(cls)
    for name, value in zip(FIELDS[cls], values, strict=True):
        object.__setattr__(made, name, value)
    return made


class FastPickler(pickle.Pickler):
    """Pickles ``FIELDS``' classes as ``_made_again`` and their fields' values."""

    def reducer_override(self, obj: Any) -> Any:
        names = FIELDS.get(type(obj))
        if names is None:
            return NotImplemented
        return _made_again, (type(obj), tuple(getattr(obj, name) for name in names))
