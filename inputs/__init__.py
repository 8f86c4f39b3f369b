"""Bundled inputs: the documented example (example_data.py) and the script that writes
inputs/example.xlsx and inputs/template.xlsx (build_inputs.py)."""
