"""Fault-injection soak, full form: 200 items, >= 10 SIGKILLs, faults on every hop.

    python bench/soak.py [--items 200] [--kills 12] [--seed 8] [--workdir DIR] [-v]

Prints a table (faults per kind, kills, final statuses, recovered, duplicates) and exits 1
when an item was lost, left unfinished, uploaded twice, failed without a classified message,
a database fails ``PRAGMA integrity_check`` or a secret shows up on disk or in the output.
The logic lives in tests/reliability/soak.py (its short form runs in the test suite).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.soak import main

if __name__ == "__main__":
    sys.exit(main())
