"""Pure-Python clinical and pathway logic.

Nothing in this package imports Django, a database driver or ``stride.web``; an
import-linter contract in ``pyproject.toml`` enforces it. Functions take values and
return results or decisions as frozen dataclasses; the web shell stores them.
"""
