"""The hub model files: processing time from the rows, and validation naming row and field."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR, read_builtin_hub, read_hub_dir
from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import Resource


def _value(code: str, name: str) -> int:
    with (BUILTIN_HUBS_DIR / code / "times.csv").open(encoding="utf-8") as handle:
        return next(int(r["value"]) for r in csv.DictReader(handle) if r["name"] == name)


def test_processing_time_is_breakdown_plus_one_induction_plus_sorter_transit() -> None:
    model = read_builtin_hub("LGG", date(2026, 11, 11))
    rate = _value("LGG", "induction_rate_per_operator")  # 1600 an hour: 2.25 s, rounded up
    expected = timedelta(
        minutes=_value("LGG", "uld_breakdown_minutes") + _value("LGG", "sorter_transit_minutes"),
        seconds=3,
    )
    assert 3600 / rate == 2.25
    assert model.processing == expected == timedelta(minutes=51, seconds=3)
    assert model.loading == timedelta(minutes=_value("LGG", "truck_loading_minutes"))


def test_liege_has_two_sorters_and_the_published_inspection_rate() -> None:
    model = read_builtin_hub("lgg", date(2026, 1, 5))
    assert model.count(Resource.SORTER) == 2
    assert str(model.parameters.inspection_selection_rate) == "0.00006"  # 0.006 %
    assert model.staffed(Resource.INDUCTION_STATION, 23) == 24
    assert model.induction_rate(15) == min(48 * 1600, 2 * 20000)


def test_hgh_is_a_smaller_model() -> None:
    hgh = read_builtin_hub("HGH", date(2026, 11, 11))
    lgg = read_builtin_hub("LGG", date(2026, 11, 11))
    assert hgh.count(Resource.OUTBOUND_CHUTE) < lgg.count(Resource.OUTBOUND_CHUTE)
    assert hgh.processing == timedelta(minutes=25, seconds=3)


def test_an_unknown_hub_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        read_builtin_hub("XXX", date(2026, 11, 11))
    assert err.value.field == "hub"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "LGG"
    shutil.copytree(BUILTIN_HUBS_DIR / "LGG", target)
    return target


def _append(path: Path, line: str) -> int:
    """Append a row and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


@pytest.mark.parametrize(
    ("file", "row", "column", "reason"),
    [
        ("resources.csv", "conveyor,3,,2021-11-08,,made up", "resource", "unknown resource"),
        ("times.csv", "uld_breakdown_minutes,-5,minutes,2027-01-01,,typo", "value", "negative"),
        ("shifts.csv", "extra,induction_station,13:00,15:00,4,2021-11-08,,x", "start", "overlaps"),
        ("shifts.csv", "extra,forklift,13:00,15:00,4,2021-11-08,,x", "resource", "unknown"),
    ],
)
def test_a_broken_row_is_an_error_naming_the_row_and_field(
    tmp_path: Path, file: str, row: str, column: str, reason: str
) -> None:
    directory = _copy(tmp_path)
    line = _append(directory / file, row)
    with pytest.raises(InvalidInput) as err:
        read_hub_dir(directory, date(2027, 2, 1))
    assert err.value.field == f"{file}[line {line}].{column}"
    assert reason in err.value.message


def test_a_night_shift_wrapping_midnight_overlaps_an_early_morning_one(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    line = _append(directory / "shifts.csv", "dawn,inspection_lane,07:00,07:30,1,2021-11-08,,x")
    with pytest.raises(InvalidInput) as err:
        read_hub_dir(directory, date(2026, 11, 11))
    assert err.value.field == f"shifts.csv[line {line}].start"  # night runs 20:00-08:00


def test_rows_out_of_force_are_ignored(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _append(directory / "times.csv", "truck_loading_minutes,90,minutes,2030-01-01,,later")
    path = directory / "times.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    rows = [
        r.replace("2021-11-08,,", "2021-11-08,2029-12-31,", 1)
        if r.startswith("truck_loading_minutes,60")
        else r
        for r in rows
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert read_hub_dir(directory, date(2029, 12, 31)).loading == timedelta(minutes=60)
    assert read_hub_dir(directory, date(2030, 1, 1)).loading == timedelta(minutes=90)
