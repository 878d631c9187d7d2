"""False positives of the screening word lists on the HS 2022 texts of unrestricted goods.

Every HS 2022 subheading whose code no restricted HS prefix covers is screened by its
official description alone (as if a seller had typed it): a hit is a false positive,
since the nomenclature itself says what the goods are. Prints the rate and the hits.

    .venv/bin/python benchmarks/screening_false_positives.py [--show N]
"""

from __future__ import annotations

import argparse
from datetime import date

from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.domain.customs.rules import in_force


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=15, help="hits to list")
    parser.add_argument("--on", default="2026-12-01", help="screening rules of this day")
    args = parser.parse_args()
    book, nomenclature = load_rule_book(), hs2022()
    terms = in_force(book.restricted, date.fromisoformat(args.on))
    prefixes = [t.value for t in terms if t.match == "hs_prefix"]
    words = [(t.kind, t.value.lower()) for t in terms if t.match == "keyword"]
    unrestricted = [
        e for e in nomenclature.entries
        if len(e.code) == 6 and e.code in book.hs6 and not any(e.code.startswith(p) for p in prefixes)
    ]  # fmt: skip
    hits = []
    for entry in unrestricted:
        text = entry.description.lower()
        found = next(((k, w) for k, w in words if w in text), None)
        if found:
            hits.append((entry.code, found, entry.description))
    restricted = len(book.hs6) - len(unrestricted)
    print(f"{nomenclature.edition}: {len(book.hs6)} subheadings, {restricted} under a "
          f"restricted HS prefix, {len(unrestricted)} unrestricted")  # fmt: skip
    print(f"keyword terms: {len(words)}; HS prefixes: {len(prefixes)}")
    rate = 100 * len(hits) / len(unrestricted)
    print(f"false positives: {len(hits)} of {len(unrestricted)} unrestricted subheadings "
          f"({rate:.2f}%)")  # fmt: skip
    for code, (kind, word), text in hits[: args.show]:
        print(f"  {code} [{kind}: {word!r}] {text[:90]}")


if __name__ == "__main__":
    main()
