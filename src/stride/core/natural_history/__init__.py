"""Motor-growth reference curves as cited, versioned data, and what they expect.

``model`` (the stable-limit curve and the :class:`ReferenceSet` type), ``sets`` (the sets
themselves: Shanghai 2012, verified; Rosenbaum 2002, pending and unusable), ``catalogue``
(lookup by name and version) and ``curves`` (:func:`expected_gmfm66` and
:func:`expected_change`, for scalars and numpy arrays).
"""

from stride.core.natural_history.catalogue import get_reference, list_references
from stride.core.natural_history.curves import expected_change, expected_gmfm66
from stride.core.natural_history.model import ReferenceSet, StableLimitCurve
from stride.core.natural_history.sets import DEFAULT_REFERENCE

__all__ = [
    "DEFAULT_REFERENCE",
    "ReferenceSet",
    "StableLimitCurve",
    "expected_change",
    "expected_gmfm66",
    "get_reference",
    "list_references",
]
