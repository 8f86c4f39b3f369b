"""The manifest as pydantic models: the Settings sheet and one row model per input sheet.

Every field is derived from a :class:`planner.schema.manifest.Column` (the one source): its type
from the column's kind (``number`` float, ``integer`` int, ``boolean`` bool, ``id``/``text`` str,
``choice`` a Literal of the choices), its range as ``ge``/``le`` (a year column outside the
horizon rule between :data:`manifest.YEAR_RANGE`), its default (``manifest.FIRST_YEAR`` stays
the marker: the first planning year is known only with the Settings), its description.

    SETTINGS_MODEL.model_validate(values)   typed Settings, every default applied
    row_model("Offers")                     the model of one Offers row
    bounds(model, "unit_cost")              the range a field carries, from its metadata
    out_of_range("Offers", "capacity", xs)  positions of a column's values outside its field's range
    defaults("Offers", first_year)          what a blank cell of each column holds

Validation (planner.validation) converts a column's cells first (the ways Excel writes numbers,
booleans and dates, each with its own message), then checks the whole column against its field
at once through a pydantic TypeAdapter; rows are not validated one by one (docs/decisions.md
"pydantic at the boundary": 100,000 Offers rows, benchmarks/validate_rows.py). A required
Settings key is optional in SETTINGS_MODEL: the Settings sheet reports a missing key by its row.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, Optional

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from planner.schema import manifest
from planner.schema.manifest import Column

_TYPES: dict[str, type] = {"number": float, "integer": int, "boolean": bool, "id": str, "text": str}


def _range(col: Column) -> tuple[float | None, float | None]:
    lo, hi = col.minimum, col.maximum
    if col.kind == "integer" and col.unit == "year" and not col.in_horizon:
        year_min, year_max = manifest.YEAR_RANGE
        lo = year_min if lo is None else lo
        hi = year_max if hi is None else hi
    return lo, hi


def _field(col: Column, optional: bool) -> tuple[Any, Any]:
    """The (annotation, FieldInfo) of ``col``; ``optional``: None allowed and the default."""
    kind = Literal[col.choices] if col.kind == "choice" else _TYPES[col.kind]  # type: ignore[valid-type]
    lo, hi = _range(col)
    if optional:
        return Optional[kind], Field(default=col.default, ge=lo, le=hi, description=col.description)
    return kind, Field(ge=lo, le=hi, description=col.description)


def _model(name: str, columns: tuple[Column, ...], all_optional: bool = False) -> type[BaseModel]:
    fields = {c.name: _field(c, all_optional or not c.required) for c in columns}
    return create_model(name, __config__=ConfigDict(extra="ignore"), **fields)  # type: ignore[call-overload]


#: The Settings sheet, key by key (every key optional: see the module's docstring).
SETTINGS_MODEL: type[BaseModel] = _model("Settings", manifest.SETTINGS, all_optional=True)

_ROW_MODELS: dict[str, type[BaseModel]] = {
    s.name: _model(f"{s.name}Row", s.columns) for s in manifest.SHEETS if s.name != "Settings"}


def row_model(sheet: str) -> type[BaseModel]:
    """The pydantic model of one row of ``sheet``."""
    return _ROW_MODELS[sheet]


def bounds(model: type[BaseModel], name: str) -> tuple[float | None, float | None]:
    """The range of field ``name``, read from its constraints (None: unbounded on that side)."""
    lo = hi = None
    for item in model.model_fields[name].metadata:
        if isinstance(item, Ge):
            lo = item.ge
        elif isinstance(item, Le):
            hi = item.le
    return lo, hi


@cache
def _column_adapter(sheet: str, name: str) -> TypeAdapter:
    """A whole column of field ``name`` (blanks as None) as one pydantic validation."""
    field = row_model(sheet).model_fields[name]
    kind = field.annotation
    if type(None) in getattr(kind, "__args__", ()):  # Optional[T]: the constraints hold for T
        kind = next(a for a in kind.__args__ if a is not type(None))
    return TypeAdapter(list[Optional[Annotated[(kind, *field.metadata)]]])  # type: ignore[misc]


def out_of_range(sheet: str, name: str, values: list[Any]) -> list[int]:
    """Positions in ``values`` (typed, None for blank) that break field ``name``'s range."""
    if bounds(row_model(sheet), name) == (None, None):
        return []
    try:
        _column_adapter(sheet, name).validate_python(values)
    except ValidationError as exc:
        return sorted({int(e["loc"][0]) for e in exc.errors()})
    return []


def defaults(sheet: str, first_year: int) -> dict[str, Any]:
    """The value a blank cell of each column of ``sheet`` holds (None: stays blank)."""
    return {name: first_year if f.default == manifest.FIRST_YEAR else (None if f.is_required() else f.default)
            for name, f in row_model(sheet).model_fields.items()}


def settings_defaults() -> dict[str, Any]:
    """Each Settings key's default (None for a key without one)."""
    return {name: f.default for name, f in SETTINGS_MODEL.model_fields.items()}
