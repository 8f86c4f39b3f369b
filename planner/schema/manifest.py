"""The input manifest: every sheet and column of the template, declared once.

Reading, validation, the blank template and the template reference in
docs/template.md are all driven by the records below, so a sheet or column
name is written here and nowhere else in the application layer (the model
reads the same names as field names of the validated tables).

Kinds of column:

- ``id``       text identifier (a material, country, supplier, ...)
- ``text``     free text, shown only
- ``number``   real number
- ``integer``  whole number (years, modules, counts)
- ``boolean``  true/false (also yes/no, 1/0)
- ``choice``   one of ``choices``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["id", "text", "number", "integer", "boolean", "choice"]

#: Default marker meaning "the first planning year" (Settings first_year).
FIRST_YEAR = "first_year"


@dataclass(frozen=True)
class Column:
    """One column of an input sheet (or one key of the Settings sheet)."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    #: Value taken by a blank optional cell; None leaves it blank (NaN / "").
    default: Any = None
    unit: str = ""
    choices: tuple[str, ...] = ()
    #: Sheet whose id this column references ("Materials", ...).
    ref: str | None = None
    #: Allow the wildcard "*" in a reference column (Policies.material).
    wildcard: bool = False
    minimum: float | None = None
    maximum: float | None = None
    #: Why the maximum, said to whoever exceeds it ("" when the bound speaks for itself).
    maximum_note: str = ""
    #: Value must lie inside the planning horizon (years).
    in_horizon: bool = False


@dataclass(frozen=True)
class Sheet:
    """One input sheet: a header row, then one record per row."""

    name: str
    required: bool
    row_meaning: str
    columns: tuple[Column, ...]
    #: Columns whose combined value must be unique (the sheet's id).
    key: tuple[str, ...] = ()
    notes: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


#: Largest values (docs/decisions.md "Largest values"): far above any real planning input, and
#: low enough that HiGHS takes the model with every column at its maximum at once (it refuses
#: matrix coefficients above 1e15 and treats 1e20 as infinite). A larger real figure is written
#: in a larger unit (kt for t, thousands of the currency).
MAX_QUANTITY = 1e12
#: ... of one-off or yearly money (capex per module, a financing limit, a fee).
MAX_MONEY = 1e14
#: ... of money per unit (a price, a penalty, a carbon price per tCO2e).
MAX_UNIT_MONEY = 1e12
#: ... of a physical ratio (tCO2e per unit, input units per unit of output).
MAX_RATIO = 1e6
#: ... of a count of things (modules, contracted offers).
MAX_COUNT = 10_000
#: ... of a span of years (lead times, lifetimes, tenors).
MAX_SPAN_YEARS = 200
#: Said of a value above one of the magnitudes above.
LARGER_UNIT = ("a larger value is beyond what the solver takes reliably: write quantities in a larger unit "
               "(e.g. kt for t) or money in thousands")


def _share(name: str, description: str, **kw: Any) -> Column:
    return Column(name, "number", description, minimum=0.0, maximum=1.0, unit="share 0..1", **kw)


def _amount(name: str, description: str, unit: str, maximum: float, **kw: Any) -> Column:
    """A non-negative number with its largest sane value (every numeric column has one)."""
    note = LARGER_UNIT if maximum in (MAX_QUANTITY, MAX_MONEY, MAX_UNIT_MONEY, MAX_RATIO) else ""
    return Column(name, "number", description, minimum=0.0, maximum=maximum, maximum_note=note, unit=unit, **kw)


SECTORS = ("mineral", "pharma")
FACILITY_KINDS = ("refinery", "pharma_park", "mine", "recycling")
FINANCING_KINDS = ("multilateral_loan", "green_bond", "bond", "ppp", "fdi", "grant", "budget")

SETTINGS: tuple[Column, ...] = (
    Column("home_country", "id", "Country code of the planning country.", required=True, ref="Countries"),
    Column("first_year", "integer", "First planning year.", required=True, unit="year", minimum=1900, maximum=2300),
    Column("years", "integer", "Number of planning years (the horizon).", required=True, unit="years",
           minimum=1, maximum=100),
    Column("currency", "text", "Currency label for money (label only).", default="USD"),
    Column("discount_rate", "number", "Yearly discount rate; a cost in year index k (0-based) is multiplied "
           "by (1+rate)^-k.", default=0.08, minimum=0.0, maximum=1.0, unit="per year"),
    Column("shortage_penalty", "number", "Cost per unit of unmet demand, for materials that give none. Blank: "
           "10 x the highest landed unit cost among the material's offers (else among its facilities' unit "
           "costs; else 1,000,000).", minimum=0.0, maximum=MAX_UNIT_MONEY, maximum_note=LARGER_UNIT,
           unit="currency/unit"),
    Column("carbon_price", "number", "Cost per tCO2e emitted by purchases and production.", default=0.0,
           minimum=0.0, maximum=MAX_UNIT_MONEY, maximum_note=LARGER_UNIT, unit="currency/tCO2e"),
    Column("cvar_alpha", "number", "Confidence level of CVaR over scenario costs.", default=0.9, minimum=0.0,
           maximum=0.999999, unit="share 0..1"),
    Column("cvar_weight", "number", "Weight of CVaR added to expected cost (0 = risk-neutral).", default=0.0,
           minimum=0.0, maximum=100.0, unit="weight"),
    Column("nonanticipative", "boolean", "true: a scenario's yearly decisions equal the others' until its first "
           "disruption or scenario-specific policy (no stocking up for a ban the plan cannot yet know of); "
           "false: the SPEC's two-stage program.", default=False),
    Column("recourse_builds", "boolean", "true: builds, their financing draws and contracts may differ by "
           "scenario from the first year a scenario's data diverge (disruption or scenario policy), and are "
           "shared before it (the Builds, Financing and Contracts sheets of the plan gain a scenario column); "
           "false: decided once for every scenario.", default=False),
    Column("time_limit_s", "number", "Solver time limit.", default=60.0, minimum=0.0, maximum=1e7, unit="seconds"),
    Column("mip_gap", "number", "Relative MIP gap at which the solver may stop.", default=0.0001, minimum=0.0,
           maximum=1.0, unit="share 0..1"),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet("Settings", True, "setting (key, value)", (
        Column("key", "text", "Setting name (see the list of keys).", required=True),
        Column("value", "text", "Setting value.", required=True),
    ), key=("key",)),
    Sheet("Materials", True, "material", (
        Column("material", "id", "Material id.", required=True),
        Column("name", "text", "Material name.", required=True),
        Column("sector", "choice", "Sector.", required=True, choices=SECTORS),
        Column("unit", "text", "Unit label, e.g. t or kg.", required=True),
        _amount("shortage_penalty", "Cost per unit of unmet demand (blank: the Settings value or its "
                "default).", "currency/unit", MAX_UNIT_MONEY),
        _amount("initial_stock", "Stock before the first year.", "units", MAX_QUANTITY, default=0.0),
        _amount("holding_cost", "Cost per unit of closing stock per year.", "currency/unit-year", MAX_UNIT_MONEY,
                default=0.0),
    ), key=("material",)),
    Sheet("Demand", True, "material and year", (
        Column("material", "id", "Material.", required=True, ref="Materials"),
        Column("year", "integer", "Year.", required=True, unit="year", in_horizon=True),
        _amount("quantity", "Demand in the year.", "units/year", MAX_QUANTITY, required=True),
    ), key=("material", "year"), notes="A missing (material, year) has demand 0."),
    Sheet("Countries", True, "country", (
        Column("country", "id", "Country code.", required=True),
        Column("name", "text", "Country name.", required=True),
        _share("risk", "Geopolitical risk score.", required=True),
        _share("tariff", "Ad valorem tariff on purchases.", default=0.0),
        Column("allied", "boolean", "Partner economy under an alliance or trade agreement (the home country "
               "always counts as allied).", default=False),
        Column("sanctioned", "boolean", "No purchases allowed from this country.", default=False),
    ), key=("country",)),
    Sheet("Suppliers", True, "foreign supplier (company)", (
        Column("supplier", "id", "Supplier id.", required=True),
        Column("country", "id", "Supplier's country.", required=True, ref="Countries"),
        _amount("capacity", "Total units per year across all its materials (blank: no joint limit).",
                "units/year", MAX_QUANTITY),
        _amount("qualification_cost", "One-off cost of qualifying the supplier, paid once if any of its offers "
                "is contracted.", "currency", MAX_MONEY, default=0.0),
        _share("risk", "Company-specific risk; effective risk = 1-(1-country risk)(1-supplier risk).",
               default=0.0),
        Column("green_certified", "boolean", "Green / responsible-sourcing certified.", default=False),
        Column("qualified", "boolean", "Already qualified: no qualification cost and no qualification delay.",
               default=False),
        Column("qualification_years", "integer", "A supplier the plan qualifies delivers only from first_year + "
               "qualification_years (audits, samples, regulatory approval).", default=0, minimum=0,
               maximum=MAX_SPAN_YEARS, unit="years"),
    ), key=("supplier",)),
    Sheet("Offers", True, "supplier and material it can supply", (
        Column("supplier", "id", "Supplier.", required=True, ref="Suppliers"),
        Column("material", "id", "Material offered.", required=True, ref="Materials"),
        _amount("unit_cost", "Ex-works price per unit.", "currency/unit", MAX_UNIT_MONEY, required=True),
        _amount("capacity", "Units per year of this material (blank: no limit beyond the supplier's).",
                "units/year", MAX_QUANTITY),
        _amount("freight_cost", "Freight per unit.", "currency/unit", MAX_UNIT_MONEY, default=0.0),
        _amount("carbon_intensity", "Emissions per unit.", "tCO2e/unit", MAX_RATIO, default=0.0),
        _amount("min_order", "Units per year in every year of the horizon once contracted.", "units/year",
                MAX_QUANTITY, default=0.0),
        _amount("contract_cost", "One-off cost of contracting this offer.", "currency", MAX_MONEY, default=0.0),
        Column("available_from", "integer", "First year the offer can deliver (blank: first_year).",
               default=FIRST_YEAR, unit="year"),
        Column("must_contract", "boolean", "true: the plan contracts this offer (and qualifies its supplier), "
               "whatever it buys from it.", default=False),
    ), key=("supplier", "material")),
    Sheet("Facilities", False, "domestic facility, existing or candidate", (
        Column("facility", "id", "Facility id.", required=True),
        Column("name", "text", "Facility name, shown next to its id in plans and reports (blank: the id and "
               "its location).", default=""),
        Column("kind", "choice", "Kind of facility.", required=True, choices=FACILITY_KINDS),
        Column("material", "id", "Output material.", required=True, ref="Materials"),
        Column("module_capacity", "number", "Units per year per module.", required=True, minimum=0.0,
               maximum=MAX_QUANTITY, maximum_note=LARGER_UNIT, unit="units/year"),
        Column("max_modules", "integer", "Most modules that can exist.", required=True, minimum=0,
               maximum=MAX_COUNT, unit="modules"),
        Column("existing_modules", "integer", "Modules already producing (at most max_modules).", default=0,
               minimum=0, maximum=MAX_COUNT, unit="modules"),
        Column("min_modules", "integer", "Least modules that exist by the last year, existing ones included "
               "(at most max_modules).", default=0, minimum=0, maximum=MAX_COUNT, unit="modules"),
        _amount("capex_per_module", "Investment per module.", "currency", MAX_MONEY, default=0.0),
        _amount("fixed_opex_per_module", "Fixed cost per producing module per year.", "currency/year",
                MAX_MONEY, default=0.0),
        _amount("unit_cost", "Cost per unit produced.", "currency/unit", MAX_UNIT_MONEY, default=0.0),
        Column("build_years", "integer", "Lead time: a module started in year y produces from y + build_years.",
               default=2, minimum=0, maximum=MAX_SPAN_YEARS, unit="years"),
        Column("earliest_year", "integer", "First year a build may start (blank: first_year).",
               default=FIRST_YEAR, unit="year"),
        _amount("carbon_intensity", "Emissions per unit produced.", "tCO2e/unit", MAX_RATIO, default=0.0),
        Column("green", "boolean", "Counts as green supply.", default=False),
        _amount("pli_subsidy", "Production-linked incentive per unit produced (a negative cost), paid in the "
                "PLI years only, within pli_cap.", "currency/unit", MAX_UNIT_MONEY, default=0.0),
        _share("pli_rate", "Production-linked incentive as a share of sales value: pli_rate x "
               "pli_reference_price per unit produced, beside pli_subsidy.", default=0.0),
        _amount("pli_reference_price", "Price per unit the PLI rate is paid on (the scheme's sales value).",
                "currency/unit", MAX_UNIT_MONEY, default=0.0),
        Column("pli_from_year", "integer", "First year PLI is paid (blank: from the first year).", unit="year"),
        Column("pli_to_year", "integer", "Last year PLI is paid (blank: to the last year).", unit="year"),
        _amount("pli_cap", "Most PLI paid to the facility in a year (blank: no cap).", "currency/year", MAX_MONEY),
        _share("risk", "Risk of domestic production.", default=0.05),
        _share("ramp_up", "Share of a new module's capacity in its first producing year (1 = full capacity at "
               "once).", default=1.0),
        Column("lifetime_years", "integer", "Economic lifetime of a module.", default=25, minimum=1,
               maximum=MAX_SPAN_YEARS, unit="years"),
        Column("location", "text", "Location (shown only).", default=""),
    ), key=("facility",)),
    Sheet("Recipes", False, "input that a facility consumes per unit of output", (
        Column("facility", "id", "Facility.", required=True, ref="Facilities"),
        Column("input_material", "id", "Input material.", required=True, ref="Materials"),
        _amount("quantity_per_unit", "Input units per unit of output.", "units/unit", MAX_RATIO, required=True),
    ), key=("facility", "input_material")),
    Sheet("Financing", False, "financing source", (
        Column("source", "id", "Financing source id.", required=True),
        Column("kind", "choice", "Kind of source.", required=True, choices=FINANCING_KINDS),
        _amount("limit", "Most that can be drawn over the horizon.", "currency", MAX_MONEY, required=True),
        _amount("annual_rate", "Interest rate of the repayment annuity.", "per year", 1.0, default=0.0),
        Column("tenor_years", "integer", "Repayment years (0 = paid at once), grace years included.", default=0,
               minimum=0, maximum=MAX_SPAN_YEARS, unit="years"),
        Column("grace_years", "integer", "Years after the draw with interest only (annual_rate x draw); level "
               "repayments over the rest of the tenor (less than tenor_years).", default=0, minimum=0,
               maximum=MAX_SPAN_YEARS, unit="years"),
        _amount("guarantee_fee", "Yearly fee as a share of the balance outstanding over the tenor (a guarantee "
                "or commitment charge).", "per year", 1.0, default=0.0),
        _amount("arrangement_fee", "One-off fee if the source is used at all.", "currency", MAX_MONEY, default=0.0),
        _amount("min_draw", "Least total draw if used.", "currency", MAX_MONEY, default=0.0),
        Column("green_only", "boolean", "May fund only green facilities.", default=False),
        Column("available_from", "integer", "First year draws are possible (blank: first_year).",
               default=FIRST_YEAR, unit="year"),
    ), key=("source",)),
    Sheet("Policies", False, "policy target", (
        Column("material", "id", "Material id, or * for every material.", required=True, ref="Materials",
               wildcard=True),
        Column("year", "integer", "Year (blank: every year).", unit="year", in_horizon=True),
        Column("scenario", "id", "Scenario (blank: every scenario).", ref="Scenarios"),
        _share("max_country_share", "Purchases from any one foreign country <= share x total supply."),
        _share("max_supplier_share", "Purchases from any one supplier <= share x total supply."),
        _share("max_avg_risk", "Supply-weighted average effective risk <= value."),
        _share("min_green_share", "Green supply >= share x total supply."),
        _amount("max_carbon_intensity", "tCO2e of supply <= value x total supply.", "tCO2e/unit", MAX_RATIO),
        _share("min_domestic_share", "Domestic production >= share x demand."),
        _share("max_non_allied_share", "Purchases from non-allied countries <= share x total supply."),
        Column("min_suppliers", "integer", "Contracted offers of the material >= value (horizon-wide).",
               minimum=0, maximum=MAX_COUNT, unit="offers"),
        _amount("min_stock_share", "Closing stock >= share x that year's demand (may exceed 1).",
                "share of demand", 100.0),
        _share("max_shortage_share", "Unmet demand <= share x demand."),
    ), key=(), notes="A more specific row (material over *, year over blank, scenario over blank) overrides a "
       "general one for the same column; equally specific rows that disagree are an error."),
    Sheet("Scenarios", False, "scenario", (
        Column("scenario", "id", "Scenario id.", required=True),
        Column("probability", "number", "Probability (all scenarios sum to 1).", required=True, minimum=0.0,
               maximum=1.0, unit="share 0..1"),
        Column("description", "text", "What the scenario means.", default=""),
    ), key=("scenario",), notes="Without this sheet: one scenario 'base' with probability 1."),
    Sheet("Disruptions", False, "disruption within a scenario", (
        Column("scenario", "id", "Scenario.", required=True, ref="Scenarios"),
        Column("country", "id", "Affected country (blank: all).", ref="Countries"),
        Column("supplier", "id", "Affected supplier (blank: all).", ref="Suppliers"),
        Column("material", "id", "Affected material (blank: all).", ref="Materials"),
        Column("from_year", "integer", "First affected year (blank: first_year).", default=FIRST_YEAR,
               unit="year"),
        Column("to_year", "integer", "Last affected year (blank: to the end).", unit="year"),
        _share("capacity_factor", "Multiplier on the affected offers' capacity and min_order (0 = export ban).",
               default=1.0),
        _amount("price_factor", "Multiplier on the affected offers' unit cost.", "multiplier", 100.0, default=1.0),
        _amount("demand_factor", "Multiplier on the demand of the affected materials (1.5 = half again as much; "
                "leave country and supplier blank).", "multiplier", 100.0, default=1.0),
    ), key=()),
    Sheet("Tariffs", False, "trade measure on a product and origin", (
        Column("country", "id", "Country of origin (blank: every country but the home country: purchases "
               "from home suppliers are not imports).", ref="Countries"),
        Column("material", "id", "Material (blank: every material).", ref="Materials"),
        Column("from_year", "integer", "First year the measure applies (blank: from the first year).",
               unit="year"),
        Column("to_year", "integer", "Last year the measure applies (blank: to the last year).", unit="year"),
        _share("ad_valorem", "Ad valorem duty; replaces the country's tariff where it matches."),
        _amount("specific_duty", "Duty per unit (e.g. an anti-dumping duty).", "currency/unit", MAX_UNIT_MONEY),
        _amount("min_import_price", "Floor on the unit price before duty (a minimum import price).",
                "currency/unit", MAX_UNIT_MONEY),
    ), key=(), notes="Landed cost = max(unit_cost x price_factor, min_import_price) x (1 + ad_valorem) + "
       "specific_duty + freight. For each column, the matching row that names the most of country and "
       "material wins; equally specific rows that disagree for the same country, material and year are an "
       "error. A column left blank on a row does not apply."),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

#: Sensible years: the range of every whole-number column with unit "year" that
#: has no bounds of its own and is not held to the horizon (available_from, ...).
YEAR_RANGE: tuple[int, int] = (1900, 2300)

#: Sheets the template writes for people (instructions, free notes); the reader
#: ignores them without a warning.
INSTRUCTIONS_SHEET = "Instructions"
NOTES_SHEET = "Notes"
INFO_SHEETS: tuple[str, ...] = (INSTRUCTIONS_SHEET, NOTES_SHEET)
SETTINGS_BY_KEY: dict[str, Column] = {c.name: c for c in SETTINGS}

#: Sheets whose first column is an id that other sheets may reference.
ID_COLUMN: dict[str, str] = {
    "Materials": "material",
    "Countries": "country",
    "Suppliers": "supplier",
    "Facilities": "facility",
    "Scenarios": "scenario",
    "Financing": "source",
}


def sheet(name: str) -> Sheet:
    return SHEETS_BY_NAME[name]


def policy_columns() -> tuple[str, ...]:
    """The target columns of the Policies sheet (everything but its scope)."""
    return tuple(c.name for c in sheet("Policies").columns if c.name not in ("material", "year", "scenario"))

