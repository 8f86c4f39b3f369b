"""The HTML report of a saved plan (planner.report.html), its SVG charts and its stylesheet."""
