"""Settings for the test suite and type checking: the ``test`` profile of settings.py.

pytest and mypy load this module, so that ``pytest`` works without exporting anything; the
profile itself lives in settings.py like the others.
"""

import os

os.environ.setdefault("STRIDE_ENV", "test")

from stride.web.settings import *  # noqa: F403
