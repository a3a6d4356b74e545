"""Compile translation catalogues (.po) into .mo files beside them.

`scripts/compile-messages.py [PO ...]` compiles the catalogues named, or every catalogue
under src/stride/web/locale when none is named.

Pure Python (polib), so neither `make demo` nor `make test` needs GNU gettext installed;
`make messages` (which extracts new strings) does. A catalogue that fails to parse stops
the build with its path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "stride" / "web" / "locale"


def main() -> int:
    named = [Path(arg) for arg in sys.argv[1:]]
    catalogues = named or sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
    if not catalogues:
        print(f"No catalogues found under {LOCALE}.", file=sys.stderr)
        return 1
    for po_path in catalogues:
        try:
            catalogue = polib.pofile(str(po_path))
        except (OSError, ValueError) as error:
            print(f"{po_path}: cannot be read: {error}", file=sys.stderr)
            return 1
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
