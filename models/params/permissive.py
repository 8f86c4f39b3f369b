"""First-stage decisions that keep as many plans open as possible (for models.highs.quick_plan).

A quick plan fixes the decisions taken once for all scenarios and then only has to buy,
produce and stock. Each decision below is set so that it forbids as little as it can:

- every supplier qualified (``w = 1``): qualification only allows purchases;
- every offer without a min order contracted (``z = 1``): a contract only allows purchases.
  An offer with a min order forces a purchase every year, which costs and may need other
  supply to dilute it under a share cap, but leaving it out may leave a target unreachable (a
  green share only it can supply): ``min_orders=False`` contracts one only if it must be
  (``must_contract``) or if a ``min_suppliers`` target needs it (cheapest landed unit cost
  first), ``min_orders=True`` contracts them all (the quick plan tries both, in that order);
- every financing source with a use binary switched on (``v = 1``) where its min draw fits its
  limit: draws may exceed capex (docs/decisions.md), so a used source only adds room;
- modules: the fewest whole modules that the domestic-share targets (the module floors of
  models.families.capacity) and ``min_modules`` need, each started as late as its lead time
  allows (so it is charged for as little of its life as possible), at the facility with the
  largest modules when several make the material.

Nothing guarantees that these decisions leave a feasible plan (a min order may be needed for
volume, the financing may not cover the modules, a ban may need stock bought ahead); the quick
plan checks what it finds and gives up otherwise.
"""

from __future__ import annotations

from models.params.domestic import module_floor


def first_stage(d, min_orders: bool = False) -> dict[str, dict]:
    """Values of the integer first-stage variables: ``{"w": {u: 1}, "z": {o: 0/1}, "v": {k: 0/1},
    "b": {(f, y): modules}}`` (every index of the model's w, z, v and b), and those of recourse:
    ``br`` as ``b``, ``zl`` and ``wl`` 0 (an index left out is 0)."""
    sd, dd = d.supply, d.domestic
    z = {o: 1.0 if min_orders or sd.min_order.get(o, 0.0) <= 0 or o in sd.must_contract else 0.0
         for o in sd.contract_bin}
    for i, need in d.policy.min_suppliers.items():
        offers = [o for o in sd.contract_bin if sd.material[o] == i]
        short = int(need) - sum(z[o] for o in offers)
        for o in sorted((o for o in offers if not z[o]), key=lambda o: sd.landed((d.scenarios[0], d.first_year, o))):
            if short <= 0:
                break
            z[o], short = 1.0, short - 1
    v = {k: 1.0 if dd.min_draw.get(k, 0.0) <= dd.limit.get(k, 0.0) else 0.0 for k in dd.use_bin}
    b = _builds(d)
    # with recourse (models.families.recourse) every scenario builds as the reference does, and
    # signs nothing late (every supplier is qualified from the start)
    own = {(s, f, y): b[(f, y)] for s, start in d.own_from.items() for (f, y) in dd.builds if y >= start}
    return {"w": {u: 1.0 for u in sd.qual_bin}, "z": z, "v": v, "b": b, "br": own, "zl": {}, "wl": {}}


def _builds(d) -> dict[tuple[str, int], float]:
    """The fewest modules the floors and min_modules need, each started as late as it can."""
    dd = d.domestic
    need: dict[str, dict[int, int]] = {}  # facility -> year -> modules producing (existing included)
    for (i, t) in sorted({(i, t) for (i, t, _s) in d.policy.get("min_domestic_share")}):
        makers = [f for f in dd.facilities if dd.material[f] == i and (f, t) in dd.producing and dd.module_capacity[f] > 0]
        floor = module_floor(d, i, t)
        if makers and floor > 0:
            f = max(makers, key=lambda f: (dd.module_capacity[f], f))
            need.setdefault(f, {})[t] = max(need.get(f, {}).get(t, 0), floor)
    for f, least in dd.min_modules.items():
        need.setdefault(f, {})[d.last_year] = max(need.get(f, {}).get(d.last_year, 0), least)
    starts = {}
    for f, yearly in need.items():
        years = sorted(y for (g, y) in dd.builds if g == f)
        have = dd.existing[f]
        for t in sorted(yearly):
            more = yearly[t] - have
            if more <= 0:
                continue
            late = [y for y in years if y + dd.build_years[f] <= t]
            if not late:
                continue  # no start year makes it in time: the floor cannot be met (the LP says so)
            starts[(f, late[-1])] = starts.get((f, late[-1]), 0.0) + more
            have += more
    return {key: starts.get(key, 0.0) for key in dd.builds}
