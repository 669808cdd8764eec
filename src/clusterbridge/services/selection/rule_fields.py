"""The fields of the rule editor, generated from the condition registry (issue 18).

Each registered condition's pydantic ``Params`` model becomes a list of typed fields: a whole
number (an amount in whole euros for a condition on money), a share, a text, one choice,
several choices (organisation types, roles, regions...), a yes/no flag, or a list of countries
(country sets and codes). A nested partner filter (``among``, ``require``) becomes the fields
of its own model under its name (``among.roles``). A new condition with parameters of these
types gets its form without more code.
"""

import types
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from fractions import Fraction
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from clusterbridge.domain.eligibility.conditions import CONDITIONS
from clusterbridge.domain.eligibility.filters import TYPE_WORDS
from clusterbridge.reference import COUNTRY_SET_NAMES, get_country_set


class FieldKind(StrEnum):
    """How a parameter is typed in the form."""

    WHOLE = "whole"
    EUROS = "euros"
    SHARE = "share"
    TEXT = "text"
    CHOICE = "choice"
    CHOICES = "choices"
    FLAG = "flag"
    COUNTRIES = "countries"


#: Labels of the parameters the registry's conditions use (a path's parts), starting in lower
#: case: a nested parameter's label joins its table's and its own.
LABELS = {
    "min": "at least", "max": "at most", "among": "partners concerned",
    "require": "who must meet it", "roles": "roles", "types": "organisation types",
    "sme_profiles": "SME profiles", "legal_entity": "legal entity",
    "eccp_registered": "registered on the ECCP", "countries": "countries",
    "allowed": "accepted organisation types", "excluded": "excluded organisation types",
    "others": "any other type", "others_reason": "why other types may apply",
    "share": "share, at least", "period": "programming period",
    "categories": "region categories",
}  # fmt: skip
#: Parameters a condition does not read (``min_share`` takes its roles from ``among``).
UNREAD = {"require.roles"}
#: Conditions whose whole numbers are amounts in euros, typed as the pages print them.
AMOUNT_CONDITIONS = frozenset({"grant_range"})
#: Help shown under a field of that kind.
HELP = {
    FieldKind.EUROS: "in whole euros: 350000 or EUR 350,000",
    FieldKind.SHARE: "a fraction or decimal: 1/2, 0.5",
    FieldKind.COUNTRIES: "country sets, and other countries by code separated by commas: IS, NO",
}
#: Help of a list of choices that may be left empty.
OPTIONAL_LIST_HELP = "none ticked: no condition on it"


_SCALARS: dict[object, FieldKind] = {
    int: FieldKind.WHOLE,
    Fraction: FieldKind.SHARE,
    str: FieldKind.TEXT,
}


@dataclass(frozen=True, slots=True)
class ParamField:
    """One typed field: its path in the parameters (``among.roles``), label, kind, choices
    (value, words), whether it must be given, its default as form values, and help."""

    path: str
    label: str
    kind: FieldKind
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    optional_list: bool = False
    default: tuple[str, ...] = ()
    help: str = ""

    @property
    def name(self) -> str:
        """The field's name in the form, without the rule's prefix."""
        return "p-" + self.path.replace(".", "-")


@dataclass(frozen=True, slots=True)
class ConditionForm:
    """A registered condition and its fields, in the order of its parameter model."""

    name: str
    description: str
    fields: tuple[ParamField, ...]

    def field(self, path: str) -> ParamField | None:
        """The field at ``path``, if any."""
        return next((f for f in self.fields if f.path == path), None)


@cache
def condition_forms() -> tuple[ConditionForm, ...]:
    """Every registered condition with its typed fields, by name."""
    return tuple(
        ConditionForm(name, condition.description, tuple(_fields(name, condition.params_model)))
        for name, condition in sorted(CONDITIONS.items())
    )


def _fields(condition: str, model: type[BaseModel]) -> list[ParamField]:
    """The fields of ``condition``'s parameters; its whole numbers in euros when it is one of
    ``AMOUNT_CONDITIONS``."""
    fields = fields_of(model)
    if condition not in AMOUNT_CONDITIONS:
        return fields
    return [
        replace(f, kind=FieldKind.EUROS, help=HELP[FieldKind.EUROS])
        if f.kind is FieldKind.WHOLE
        else f
        for f in fields
    ]


def condition_form(name: str) -> ConditionForm | None:
    """The form of the condition called ``name`` (None for an unknown name)."""
    return next((c for c in condition_forms() if c.name == name), None)


def fields_of(model: type[BaseModel], prefix: str = "") -> list[ParamField]:
    """The typed fields of a parameter model; a nested model's fields under its name."""
    fields: list[ParamField] = []
    for key, info in model.model_fields.items():
        annotation, optional = _unwrap(info.annotation)
        if f"{prefix}{key}" in UNREAD:
            continue
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields.extend(fields_of(annotation, f"{prefix}{key}."))
        else:
            fields.append(_field(f"{prefix}{key}", key, annotation, info, optional=optional))
    return fields


def label_of(path: str) -> str:
    """A parameter's label; a nested one's starts with its table's: ``Partners concerned:
    roles``."""
    label = ": ".join(LABELS.get(part, part.replace("_", " ")) for part in path.split("."))
    return label[:1].upper() + label[1:]


def _field(path: str, key: str, annotation: Any, info: FieldInfo, *, optional: bool) -> ParamField:
    kind, choices = _kind(key, annotation)
    required = info.is_required()
    default = () if required else _form_values(info.get_default(call_default_factory=True))
    optional_list = optional and kind is FieldKind.CHOICES
    return ParamField(
        path=path,
        label=label_of(path),
        kind=kind,
        choices=choices,
        required=required,
        optional_list=optional_list,
        default=default,
        help=OPTIONAL_LIST_HELP if optional_list else HELP.get(kind, ""),
    )


def _kind(key: str, annotation: Any) -> tuple[FieldKind, tuple[tuple[str, str], ...]]:
    origin = get_origin(annotation)
    if origin is tuple:
        item = get_args(annotation)[0]
        if isinstance(item, type) and issubclass(item, Enum):
            return FieldKind.CHOICES, _enum_choices(item)
        return FieldKind.COUNTRIES, _country_sets()
    if origin is Literal:
        return FieldKind.CHOICE, tuple((str(v), str(v)) for v in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return FieldKind.CHOICE, _enum_choices(annotation)
    if annotation is bool:
        return FieldKind.FLAG, (("yes", "yes"), ("no", "no"))
    if annotation not in _SCALARS:
        msg = f"parameter {key!r}: no form field for {annotation!r}"
        raise TypeError(msg)
    return _SCALARS[annotation], ()


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None``, and whether ``None`` was allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(get_args(annotation))
    return annotation, False


def _enum_choices(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    words: dict[Any, str] = dict(TYPE_WORDS)
    return tuple((str(m.value), words.get(m, str(m.value).replace("_", " "))) for m in enum)


def _country_sets() -> tuple[tuple[str, str], ...]:
    return tuple((name, get_country_set(name).title) for name in COUNTRY_SET_NAMES)


def _form_values(value: object) -> tuple[str, ...]:
    """A default as the form shows it: nothing for None, a tuple's items, else one text."""
    if value is None or isinstance(value, BaseModel):
        return ()
    if isinstance(value, tuple):
        return tuple(str(v.value if isinstance(v, Enum) else v) for v in value)
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    return (str(value.value if isinstance(value, Enum) else value),)
