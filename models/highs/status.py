"""What a HiGHS call returned, checked: every call of the session that returns a ``HighsStatus``
(passModel, addCols, addRows, changeColsBounds, changeCoeff, setSolution, setOptionValue, ...)
goes through :func:`checked`.

``kError`` means HiGHS refused what the session asked (an index out of range, an unknown option,
an option value out of its range): a defect of ours, never the model's outcome, so it raises an
internal error naming the call instead of running on with a model HiGHS does not hold.
``kWarning`` (HiGHS did it, with a remark) is logged. A run's own failure is not checked here: it
is the run's model status (a solve error becomes the outcome's status ERROR).
"""

from __future__ import annotations

import logging
from typing import Any

import highspy

log = logging.getLogger("models.highs")
log.addHandler(logging.NullHandler())  # a library: the application decides where warnings go


class HighsCallError(RuntimeError):
    """HiGHS refused a call the session made (HighsStatus.kError): an internal error."""


def checked(status: Any, call: str) -> Any:
    """``status`` returned by HiGHS' ``call`` (e.g. "changeColsBounds"), raised on kError, logged on kWarning."""
    if status == highspy.HighsStatus.kError:
        raise HighsCallError(f"internal error: HiGHS refused {call} (HighsStatus.kError)")
    if status == highspy.HighsStatus.kWarning:
        log.warning("HiGHS %s returned a warning (HighsStatus.kWarning)", call)
    return status
