"""OR-Library parsing and mapping, and the synthetic instance generator (no solves here)."""

from __future__ import annotations

import itertools
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.schema import manifest
from planner.instances.generate import DOMINANT, SIZES, generate_dataset
from planner.instances.orlib import DATA_DIR, material_id, orlib_dataset, parse_orlib, published_optimum, supplier_id

SMALL_FILES = sorted(p.stem for p in DATA_DIR.glob("cap[0-9]*.txt"))


# ---------------------------------------------------------------- OR-Library


def test_orlib_files_are_in_the_repo():
    assert len(SMALL_FILES) == 37
    assert (DATA_DIR / "capb.txt").exists()
    assert (DATA_DIR / "capopt.txt").exists()
    assert "Beasley" in (DATA_DIR / "README.md").read_text()


def test_parse_cap41_numbers_from_the_file():
    inst = parse_orlib(DATA_DIR / "cap41.txt")
    assert (inst.m, inst.n) == (16, 50)
    assert inst.capacities.shape == (16,) and (inst.capacities == 5000).all()
    assert inst.fixed_costs[0] == 7500.0 and inst.fixed_costs[10] == 0.0
    assert inst.demands[:5].tolist() == [146.0, 87.0, 672.0, 1337.0, 31.0]
    assert inst.costs.shape == (16, 50)
    assert inst.costs[0, 0] == pytest.approx(6739.725)
    assert inst.costs[1, 0] == pytest.approx(10355.05)
    assert inst.costs[15, 0] == pytest.approx(6051.70)
    assert inst.costs[0, 1] == pytest.approx(3204.8625)
    assert inst.demands.sum() == 58268.0


def test_parse_by_name_and_token_stream(tmp_path: Path):
    text = (DATA_DIR / "cap41.txt").read_text()
    rewrapped = tmp_path / "wrapped.txt"
    tokens = text.split()
    # five tokens per line, ignoring the file's own line structure
    rewrapped.write_text("\n".join(" ".join(tokens[i:i + 5]) for i in range(0, len(tokens), 5)) + "\n")
    a, b = parse_orlib("cap41"), parse_orlib(rewrapped)
    assert np.array_equal(a.costs, b.costs) and np.array_equal(a.demands, b.demands)
    assert np.array_equal(a.capacities, b.capacities) and np.array_equal(a.fixed_costs, b.fixed_costs)


def test_parse_truncated_file_is_an_error(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_text(" ".join((DATA_DIR / "cap41.txt").read_text().split()[:-3]))
    with pytest.raises(ValueError, match="expected"):
        parse_orlib(bad)


def test_parse_capb_needs_a_capacity():
    with pytest.raises(ValueError, match="capacity"):
        parse_orlib("capb")
    inst = parse_orlib("capb", capacity=5000)
    assert (inst.m, inst.n) == (100, 1000)
    assert (inst.capacities == 5000).all()
    assert inst.fixed_costs[0] == 627041.0
    assert inst.demands[:3].tolist() == [94.0, 13.0, 72.0]


@pytest.mark.parametrize("name", SMALL_FILES)
def test_every_small_file_parses(name):
    inst = parse_orlib(name)
    assert inst.n == 50 and inst.m in (16, 25, 50)
    assert (inst.demands > 0).all()
    assert inst.capacities.sum() >= inst.demands.sum()


def test_orlib_mapping_cap41():
    inst = parse_orlib("cap41")
    ds = orlib_dataset("cap41")
    s = ds.settings
    assert s["first_year"] == 2026 and s["years"] == 1 and s["discount_rate"] == 0.0
    assert ds.years == [2026]
    assert len(ds["Suppliers"]) == 16 and len(ds["Materials"]) == 50 and len(ds["Offers"]) == 16 * 50
    assert ds["Suppliers"]["country"].nunique() == 1
    sup = ds["Suppliers"].set_index("supplier")
    assert sup.loc["W01", "capacity"] == 5000.0 and sup.loc["W01", "qualification_cost"] == 7500.0
    assert sup.loc["W11", "qualification_cost"] == 0.0
    dem = ds["Demand"].set_index("material")["quantity"]
    assert dem["C001"] == 146.0 and (ds["Demand"]["year"] == 2026).all()
    offers = ds["Offers"].set_index(["supplier", "material"])
    assert offers["capacity"].isna().all()
    assert (offers["min_order"] == 0).all() and (offers["contract_cost"] == 0).all()
    assert (offers["freight_cost"] == 0).all()
    for i, j in [(0, 0), (1, 0), (15, 0), (0, 1), (7, 23), (15, 49)]:
        unit = offers.loc[(supplier_id(i), material_id(j)), "unit_cost"]
        assert unit * inst.demands[j] == pytest.approx(inst.costs[i, j], rel=1e-12)
    pol = ds["Policies"]
    assert len(pol) == 1 and pol.loc[0, "material"] == "*" and pol.loc[0, "max_shortage_share"] == 0.0
    assert ds["Scenarios"]["scenario"].tolist() == ["base"]
    countries = set(ds["Countries"]["country"])
    assert s["home_country"] in countries and set(ds["Suppliers"]["country"]) <= countries
    assert ds["Countries"]["tariff"].eq(0).all() and not ds["Countries"]["sanctioned"].any()


def test_orlib_dataset_capb_size():
    ds = orlib_dataset("capb", capacity=5000)
    assert len(ds["Offers"]) == 100 * 1000
    assert (ds["Suppliers"]["capacity"] == 5000).all()


def test_published_optimum():
    assert published_optimum("cap41") == 1040444.375
    assert published_optimum("cap134.txt") == 928941.75
    assert published_optimum("capb", 5000) == 13656379.578
    assert published_optimum("capc", capacity=7250) == 11505767.394
    for name in SMALL_FILES:
        assert published_optimum(name) > 0
    with pytest.raises(KeyError):
        published_optimum("capb")
    with pytest.raises(KeyError):
        published_optimum("cap999")


# ---------------------------------------------------------------- generator


def _equal(a, b) -> bool:
    if a.settings != b.settings or set(a.tables) != set(b.tables):
        return False
    return all(a[k].equals(b[k]) for k in a.tables)


@pytest.mark.parametrize("size", ["small", "medium"])
def test_generate_is_deterministic(size):
    assert _equal(generate_dataset(size, seed=3), generate_dataset(size, seed=3))
    assert not _equal(generate_dataset(size, seed=3), generate_dataset(size, seed=4))


def test_generate_settings_override():
    base = generate_dataset("small", 7)
    risky = generate_dataset("small", 7, settings={"cvar_weight": 0.3, "time_limit_s": 5.0})
    assert risky.settings["cvar_weight"] == 0.3 and risky.settings["time_limit_s"] == 5.0
    assert all(base[k].equals(risky[k]) for k in base.tables)
    assert base.settings["currency"] == "kUSD" and base.settings["home_country"] == "HOME"


def test_generate_default_seed_and_bad_size():
    assert _equal(generate_dataset("small"), generate_dataset("small", 0))
    with pytest.raises(ValueError):
        generate_dataset("huge")


@pytest.fixture(scope="module")
def national():
    start = time.perf_counter()
    ds = generate_dataset("national", seed=0)
    return ds, time.perf_counter() - start


def test_national_counts(national):
    ds, seconds = national
    assert seconds < 10
    assert len(ds["Materials"]) >= 40
    assert len(ds["Suppliers"]) >= 600
    assert len(ds["Offers"]) >= 5000
    assert ds.settings["years"] == 15 and len(ds.years) == 15
    assert len(ds["Scenarios"]) == 5
    # suppliers have several offers
    per_supplier = ds["Offers"].groupby("supplier").size()
    assert per_supplier.mean() >= 5 and (per_supplier >= 2).mean() > 0.9
    # a share of the materials are intermediates chained into final products
    finals = set(ds["Demand"]["material"])
    inputs = set(ds["Recipes"]["input_material"])
    intermediates = set(ds["Materials"]["material"]) - finals
    assert len(intermediates) >= 0.3 * len(ds["Materials"]) and intermediates <= inputs
    fac_out = ds["Facilities"].set_index("facility")["material"]
    produced_inputs = {fac_out[f] for f in ds["Recipes"]["facility"]} & inputs
    assert produced_inputs, "no two-stage recipe chain"  # e.g. KSM -> INT -> API
    assert set(ds["Facilities"]["kind"]) >= {"refinery", "pharma_park"}
    assert len(ds["Financing"]) >= 5
    assert set(ds["Materials"]["sector"]) == {"mineral", "pharma"}


@pytest.mark.parametrize("size", list(SIZES))
def test_generated_references_exist(size):
    ds = generate_dataset(size, seed=1)
    ids = {sheet: set(ds[sheet][col]) for sheet, col in manifest.ID_COLUMN.items()}
    for sheet in manifest.SHEETS:
        if sheet.name == "Settings":
            continue
        table = ds[sheet.name]
        assert list(table.columns) == list(sheet.column_names) + ["excel_row"]
        for col in sheet.columns:
            if col.required:
                values = table[col.name]
                assert not values.isna().any(), (sheet.name, col.name)
                if col.kind in ("id", "text", "choice"):
                    assert (values != "").all(), (sheet.name, col.name)
            if col.ref:
                values = set(table[col.name]) - {""} - ({"*"} if col.wildcard else set())
                assert values <= ids[col.ref], (sheet.name, col.name, values - ids[col.ref])
            if col.kind == "choice":
                assert set(table[col.name]) <= set(col.choices)
            if col.kind in ("number", "integer"):
                vals = table[col.name].dropna()
                if col.minimum is not None:
                    assert (vals >= col.minimum).all(), (sheet.name, col.name)
                if col.maximum is not None:
                    assert (vals <= col.maximum).all(), (sheet.name, col.name)
                if col.kind == "integer":
                    assert (vals == vals.round()).all()
        for key in [sheet.key] if sheet.key else []:
            assert not table.duplicated(list(key)).any(), (sheet.name, key)
    assert ds.settings["home_country"] in ids["Countries"]
    years = set(ds.years)
    assert set(ds["Demand"]["year"].astype(int)) <= years
    assert set(ds["Policies"]["year"].dropna().astype(int)) <= years
    assert set(ds["Offers"]["available_from"].astype(int)) <= years
    assert set(ds["Facilities"]["earliest_year"].astype(int)) <= years
    assert set(ds["Disruptions"]["from_year"].astype(int)) <= years
    assert set(ds["Disruptions"]["to_year"].dropna().astype(int)) <= years
    assert math.isclose(ds["Scenarios"]["probability"].sum(), 1.0, abs_tol=1e-9)
    assert (ds["Facilities"]["existing_modules"] <= ds["Facilities"]["max_modules"]).all()
    # the home country hosts no foreign supplier
    assert ds.settings["home_country"] not in set(ds["Suppliers"]["country"])


@pytest.mark.parametrize("size", list(SIZES))
def test_generated_structure(size):
    ds = generate_dataset(size, seed=2)
    spec = SIZES[size]
    assert ds.settings["years"] == spec.years and len(ds["Scenarios"]) == spec.scenarios
    countries = ds["Countries"].set_index("country")
    offers = ds["Offers"].merge(ds["Suppliers"][["supplier", "country"]], on="supplier")
    # the dominant country is the cheapest source: lowest median price relative to the material's median
    rel = offers["unit_cost"] / offers.groupby("material")["unit_cost"].transform("median")
    by_country = rel.groupby(offers["country"]).median()
    assert by_country.idxmin() in (DOMINANT, "SAN")
    assert by_country[DOMINANT] < 0.9
    assert not countries.loc[DOMINANT, "allied"]
    # the export-ban scenario bans the dominant country
    dis = ds["Disruptions"]
    ban = dis[(dis["country"] == DOMINANT) & (dis["capacity_factor"] == 0) & (dis["material"] == "")]
    assert len(ban) >= 1 and ban["scenario"].iloc[0] != "base"
    # policies: a country cap, a risk cap, a green target, a domestic-share ramp
    pol = ds["Policies"]
    for col in ("max_country_share", "max_avg_risk", "min_green_share", "min_domestic_share"):
        assert pol[col].notna().any(), col
    ramp = pol.dropna(subset=["min_domestic_share"]).sort_values("year")
    for _, rows in ramp.groupby("material"):
        assert rows["min_domestic_share"].is_monotonic_increasing
    assert (ds["Offers"]["min_order"] > 0).any() and (ds["Offers"]["contract_cost"] > 0).any()
    assert (ds["Suppliers"]["qualification_cost"] > 0).all()


def _matches(a, b, wildcard=""):
    return a == b or a in ("", wildcard) or b in ("", wildcard)


@pytest.mark.parametrize("size", list(SIZES))
def test_generated_policies_do_not_conflict(size):
    """Equally specific rows that could apply together never disagree on a column."""
    pol = generate_dataset(size, seed=0)["Policies"].copy()
    pol["year"] = pol["year"].fillna(-1)
    scope = pol[["material", "year", "scenario"]]
    spec = (scope["material"] != "*").astype(int) + (scope["year"] != -1) + (scope["scenario"] != "")
    for col in manifest.policy_columns():
        rows = pol.index[pol[col].notna()]
        for a, b in itertools.combinations(rows, 2):
            if spec[a] != spec[b] or pol.at[a, col] == pol.at[b, col]:
                continue
            overlap = (_matches(pol.at[a, "material"], pol.at[b, "material"], "*")
                       and (pol.at[a, "year"] == pol.at[b, "year"] or -1 in (pol.at[a, "year"], pol.at[b, "year"]))
                       and _matches(pol.at[a, "scenario"], pol.at[b, "scenario"]))
            assert not overlap, (col, pol.loc[a].to_dict(), pol.loc[b].to_dict())


@pytest.mark.parametrize("size", list(SIZES))
def test_generated_capacity_outside_dominant_covers_demand(size):
    """Feasible by construction: in every scenario and year, allied capacity left after the
    disruptions covers peak final demand plus full-capacity facility consumption."""
    ds = generate_dataset(size, seed=5)
    sup = ds["Suppliers"].set_index("supplier")
    countries = ds["Countries"].set_index("country")
    offers = ds["Offers"].copy()
    offers["country"] = offers["supplier"].map(sup["country"])
    offers = offers[offers["country"].map(countries["allied"]) & offers["min_order"].eq(0)]
    offers["cap"] = offers["capacity"].fillna(offers["supplier"].map(sup["capacity"]))
    fac = ds["Facilities"].set_index("facility")
    rec = ds["Recipes"].copy()
    rec["use"] = rec["quantity_per_unit"] * rec["facility"].map(fac["module_capacity"] * fac["max_modules"])
    need = ds["Demand"].groupby("material")["quantity"].max().add(
        rec.groupby("input_material")["use"].sum(), fill_value=0)
    dis = ds["Disruptions"]
    for scenario in ds["Scenarios"]["scenario"]:
        factor = pd.Series(1.0, index=offers.index)
        for _, d in dis[dis["scenario"] == scenario].iterrows():
            hit = pd.Series(True, index=offers.index)
            for col in ("country", "supplier", "material"):
                if d[col]:
                    hit &= offers[col] == d[col]
            factor[hit] *= d["capacity_factor"]
        # per supplier, its joint capacity bounds what it can give to one material
        eff = (offers["cap"] * factor).clip(upper=offers["supplier"].map(sup["capacity"]))
        avail = eff.groupby(offers["material"]).sum()
        short = need[avail.reindex(need.index, fill_value=0) < need]
        assert short.empty, (scenario, short.to_dict())
