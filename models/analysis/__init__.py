"""After the solve: result tables, tidying an incumbent, groups of rows one input value
sets, marginal values, infeasibility diagnosis and re-solves."""
