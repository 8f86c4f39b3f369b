"""Instances built in code: seeded synthetic workbooks (`generate`) and OR-Library
capacitated facility-location problems mapped onto the template."""
