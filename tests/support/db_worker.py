"""A separate process that uses the database like the app does (for the concurrency tests).

python tests/support/db_worker.py URL editor N   -> N activity saves by an editor, one transaction each
python tests/support/db_worker.py URL hold SECONDS -> one write transaction that keeps the lock (a long import)
python tests/support/db_worker.py URL read SECONDS -> reads the crime figures in a loop
Prints "ok <count>" and exits 0, or prints the error and exits 1.
"""

from __future__ import annotations

import sys
import time
from datetime import date

import pandas as pd

from lofte_data import editing
from lofte_data.access import Editor
from lofte_data.errors import LofteError
from lofte_data.storage import Store

EDITOR = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")


def main(url: str, job: str, amount: str) -> int:
    store = Store.open(url)
    done = 0
    try:
        if job == "editor":
            promise = store.promise("1960", 2023)
            assert promise is not None
            commitment = promise.focus_areas[0].commitments[0].id
            assert commitment is not None
            for i in range(int(amount)):
                editing.log_activity(
                    store, EDITOR, commitment_id=commitment, on=date(2023, 5, 1), count=1, note=f"n{i}"
                )
                done += 1
        elif job == "hold":
            with store.atomic() as tx:
                tx.insert_rows("dataset", [{"name": "hold", "loaded_at": pd.Timestamp.now(tz="UTC"), "source": "t"}])
                time.sleep(float(amount))  # a long import holding the write lock
            done = 1
        else:
            end = time.monotonic() + float(amount)
            while time.monotonic() < end:
                store.crime_stats(["1960"])
                done += 1
    except LofteError as exc:
        print(f"error after {done}: {type(exc).__name__}: {exc}")
        return 1
    print(f"ok {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
