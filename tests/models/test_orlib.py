"""OR-Library capacitated facility location (Beasley 1988) through the full model.

Warehouse = supplier with capacity and qualification cost, customer = material with one
year of demand, offer unit cost c_ij / d_j, no shortage allowed: the model's optimum must
equal the published optimum (capopt.txt) to 1e-6 relative.
"""

import pytest

from planner.instances.orlib import orlib_dataset, published_optimum

from models import solve_dataset
from models.outcome import Status


@pytest.mark.parametrize("name", ["cap41", "cap71", "cap101", "cap131"])
def test_orlib_reproduces_published_optimum(name):
    out = solve_dataset(orlib_dataset(name))
    assert out.status == Status.OPTIMAL
    assert out.objective == pytest.approx(published_optimum(name), rel=1e-6)
    # all cost is qualification (fixed) plus purchases (assignment); no shortage
    assert out.costs["qualification"] + out.costs["purchases_ex_works"] == pytest.approx(out.objective)
    assert out.tables["Shortages"].empty
