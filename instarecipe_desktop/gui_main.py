"""Entry of the desktop app (built by the desktop-app issue)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def gui_main(argv: Sequence[str]) -> int:
    print("The desktop window is not built yet; use the command-line verbs (see --help).",
          file=sys.stderr)
    return 2
