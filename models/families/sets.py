r"""Sets and indices: what the model's indices run over, and where each comes from.

Index sets are sparse (models.params derives them: only the tuples that exist, never the full
cross product); the families' docstrings say which tuples each variable and row has.

.. math::
    i \in I, \quad c \in C, \quad u \in U, \quad o \in O, \quad f \in F, \quad k \in K, \quad
    s \in S, \quad y, t \in Y = \{y_0, \dots, y_0 + n - 1\}
"""

SYMBOLS = [
    (r"I", "materials", "Materials.material"),
    (r"C", "countries (the home country among them)", "Countries.country"),
    (r"U", "foreign suppliers (companies)", "Suppliers.supplier"),
    (r"F", "domestic facilities", "Facilities.facility"),
    (r"K", "financing sources", "Financing.source"),
    (r"S", "scenarios (without the sheet: one scenario, base, probability 1)", "Scenarios.scenario"),
    (r"y_0, n", "first planning year and number of years", "Settings.first_year, years"),
]
