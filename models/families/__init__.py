"""The math: one module per constraint family (index functions, rules with their LaTeX,
and a SYMBOLS table tying each symbol to its template column). No solver here."""
