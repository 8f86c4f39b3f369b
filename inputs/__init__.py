"""Bundled inputs: the documented example (example_data.py) and the script that writes
planner/data/example.xlsx and planner/data/template.xlsx (build_inputs.py writes them; they ship with the package)."""
