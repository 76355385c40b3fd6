"""The intake figure: real files accepted per producer, hostile files refused per class.

    .venv/bin/python bench/intake.py

Runs every producer of tests/real_producers.py (skipping, with its reason, one that is not
installed here) and the whole hostile corpus of tests/hostile_files.py through
`validation.check`, the same check the upload route runs, and prints two tables: per producer
how many of its files were accepted (and whether full-text extraction finds the word inside),
and per refusal reason how many hostile files were refused with exactly that reason.
Exits non-zero when a real file is refused or a hostile file gets through or gets another
reason, so the figure can stand in CI as well as in a closing note.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.documents import text, validation  # noqa: E402
from tests.hostile_files import hostile_corpus  # noqa: E402
from tests.real_producers import PRODUCERS, Missing, produce  # noqa: E402

ALL_FORMATS = {validation.PDF, validation.DOCX, validation.JPEG, validation.PNG}


def _judge(data: bytes, allowed: set[str]) -> tuple[str | None, str | None]:
    """(format, None) when accepted, (None, reason) when refused."""
    try:
        return validation.check(io.BytesIO(data), allowed).format, None
    except validation.Refused as refusal:
        return None, refusal.reason


def real_world(workdir: Path) -> bool:
    print(f"{'producent':<13} {'bestanden':>9} {'geaccepteerd':>12} {'geweigerd':>9} "
          f"{'woord gevonden':>14}  opmerking")
    all_good = True
    for producer in PRODUCERS:
        try:
            files = produce(producer, workdir / producer)
        except Missing as missing:
            print(f"{producer:<13} {'-':>9} {'-':>12} {'-':>9} {'-':>14}  overgeslagen: {missing}")
            continue
        accepted, refused, found, searchable = 0, [], 0, 0
        for real in files:
            fmt, reason = _judge(real.data, ALL_FORMATS)
            if fmt is None:
                refused.append(f"{real.name}: {reason}")
                continue
            accepted += 1
            if real.word:
                searchable += 1
                found += real.word in text.extract_text(io.BytesIO(real.data), fmt).lower()
        all_good &= not refused and found == searchable
        note = "; ".join(refused) or ("scans zonder tekstlaag: geen woord" if
                                      searchable < len(files) else "")
        print(f"{producer:<13} {len(files):>9} {accepted:>12} {len(refused):>9} "
              f"{f'{found}/{searchable}':>14}  {note}")
    return all_good


def hostile() -> bool:
    expected: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong: dict[str, list[str]] = defaultdict(list)
    for sample in hostile_corpus():
        allowed = {validation.PDF, validation.DOCX} | (
            {validation.JPEG, validation.PNG} if sample.kind == "registratiedocument" else set())
        expected[sample.reason] += 1
        _, reason = _judge(sample.data, allowed)
        if reason == sample.reason:
            right[sample.reason] += 1
        else:
            wrong[sample.reason].append(f"{sample.name} → {reason or 'geaccepteerd'}")
    print(f"\n{'vijandige klasse (reden)':<26} {'bestanden':>9} {'geweigerd met eigen reden':>26}")
    for reason in sorted(expected, key=lambda r: (r.split("_")[0], r)):
        failures = "; ".join(wrong[reason])
        print(f"{reason:<26} {expected[reason]:>9} {right[reason]:>26}  {failures}")
    total, correct = sum(expected.values()), sum(right.values())
    print(f"{'totaal':<26} {total:>9} {correct:>26}")
    return correct == total


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="intake-") as workdir:
        good = real_world(Path(workdir))
    bad_refused = hostile()
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0 if good and bad_refused else 1


if __name__ == "__main__":
    sys.exit(main())
