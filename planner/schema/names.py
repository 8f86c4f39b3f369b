"""How a person reads an id: its name next to it ("Lithium carbonate (LI2CO3)").

Materials and countries have a required ``name`` column, facilities an optional one
(blank: the id with its location, if any). Suppliers have no name column: their id is
usually the company name, so it is shown with its country's name ("Jiangxi Lithium Salt
Works, China"). Financing sources are shown by id with their kind. An id the inputs do not
know (a plan edited by hand) is shown as it is.

Used wherever a person reads: the terminal summary, charts, the HTML report and compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.schema.dataset import Dataset


def _column(table: pd.DataFrame, key: str, value: str) -> dict[str, str]:
    if key not in table.columns or value not in table.columns or table.empty:
        return {}
    keys = table[key].astype(str)
    values = table[value].fillna("").astype(str).str.strip()
    return {k: v for k, v in zip(keys, values) if v}


@dataclass(frozen=True)
class Names:
    """Names by id for each kind of thing a plan talks about."""

    materials: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    supplier_countries: dict[str, str] = field(default_factory=dict)
    facilities: dict[str, str] = field(default_factory=dict)
    facility_locations: dict[str, str] = field(default_factory=dict)
    source_kinds: dict[str, str] = field(default_factory=dict)
    home: str = ""

    # ------------------------------------------------------------ labels

    @staticmethod
    def _labelled(name: str, ident: str) -> str:
        return ident if not name or name == ident else f"{name} ({ident})"

    def material(self, ident: str) -> str:
        """"Lithium carbonate (LI2CO3)"."""
        return self._labelled(self.materials.get(str(ident), ""), str(ident))

    def material_name(self, ident: str) -> str:
        """The name alone (the id if it has none)."""
        return self.materials.get(str(ident), "") or str(ident)

    def unit(self, material: str) -> str:
        return self.units.get(str(material), "")

    def country(self, ident: str) -> str:
        """"China (CN)"."""
        return self._labelled(self.countries.get(str(ident), ""), str(ident))

    def country_name(self, ident: str) -> str:
        return self.countries.get(str(ident), "") or str(ident)

    def supplier(self, ident: str) -> str:
        """"Jiangxi Lithium Salt Works, China" (the id is the company's name in most inputs)."""
        country = self.supplier_countries.get(str(ident), "")
        return f"{ident}, {self.country_name(country)}" if country else str(ident)

    def facility(self, ident: str) -> str:
        """"Gujarat lithium refinery (LI_REFINERY_GJ)", else "LI_REFINERY_GJ, Coastal SEZ, Gujarat"."""
        ident = str(ident)
        name = self.facilities.get(ident, "")
        if name:
            return self._labelled(name, ident)
        location = self.facility_locations.get(ident, "")
        return f"{ident}, {location}" if location else ident

    def source(self, ident: str) -> str:
        """"MDB_LOAN (multilateral loan)"."""
        kind = self.source_kinds.get(str(ident), "")
        return f"{ident} ({kind.replace('_', ' ')})" if kind else str(ident)

    @property
    def domestic(self) -> str:
        """Domestic production as a supply origin: "India (domestic production)"."""
        return f"{self.country_name(self.home)} (domestic production)" if self.home else "domestic production"


def names_of(dataset: Dataset) -> Names:
    """The names a dataset gives its ids."""
    t = dataset.tables
    empty = pd.DataFrame()
    return Names(
        materials=_column(t.get("Materials", empty), "material", "name"),
        units=_column(t.get("Materials", empty), "material", "unit"),
        countries=_column(t.get("Countries", empty), "country", "name"),
        supplier_countries=_column(t.get("Suppliers", empty), "supplier", "country"),
        facilities=_column(t.get("Facilities", empty), "facility", "name"),
        facility_locations=_column(t.get("Facilities", empty), "facility", "location"),
        source_kinds=_column(t.get("Financing", empty), "source", "kind"),
        home=str(dataset.settings.get("home_country") or ""),
    )


#: Id columns of plan and comparison tables, and the name column put beside each.
NAME_COLUMNS = {"material": "material name", "country": "country name", "supplier": "supplier country",
                "facility": "facility name", "source": "source kind"}


def with_names(frame: pd.DataFrame, names: Names) -> pd.DataFrame:
    """``frame`` with a name column right after each id column it has (material name, ...)."""
    out = frame.copy()
    label = {"material": names.material_name, "country": names.country_name,
             "supplier": lambda s: names.country_name(names.supplier_countries.get(s, "")) if s in
             names.supplier_countries else "",
             "facility": lambda f: names.facilities.get(f, "") or names.facility_locations.get(f, ""),
             "source": lambda k: names.source_kinds.get(k, "").replace("_", " ")}
    for column, title in NAME_COLUMNS.items():
        if column in out.columns and title not in out.columns:
            values = out[column].astype(str).map(lambda v, f=label[column]: f(v) if v else "")
            out.insert(out.columns.get_loc(column) + 1, title, values)
    return out
