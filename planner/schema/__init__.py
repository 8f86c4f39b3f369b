"""The contract between reading and the model: the input manifest, the validated Dataset,
and the Problem records bad input is reported with."""
