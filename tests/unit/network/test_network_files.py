"""Network directories: the built-in one is complete; bad files name file, line, column."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import pycountry
import pytest

from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.geo import EARTH_RADIUS_KM, great_circle_km
from ewtp.domain.network.model import validate_network

EU = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
TODAY = date(2026, 11, 22)


def test_the_builtin_network_has_a_zone_for_every_eu_country_and_cn() -> None:
    files = read_network_dir(BUILTIN_DIR, TODAY)
    assert {z.country for z in files.zones} == EU | {"CN"}
    assert all(pycountry.countries.get(alpha_2=z.country) for z in files.zones)
    trains = [s for s in files.services if s.mode.value == "rail"]
    assert [(t.origin, t.destination, len(t.days)) for t in trains] == [("CGO", "LGG", 2)]
    assert 14 * 1440 <= trains[0].duration_minutes <= 18 * 1440
    assert {s.destination for s in files.services if s.origin == "LGG"} >= {"HGH", "CGO"}
    assert all(s.source for s in files.services)


def test_air_block_times_follow_the_documented_great_circle_formula() -> None:
    files = read_network_dir(BUILTIN_DIR, TODAY)
    hubs = {h.code: h for h in files.hubs}
    flight = next(s for s in files.services if s.id == "AIR-HGH-LGG-1")
    gcd = great_circle_km(hubs["HGH"].lat, hubs["HGH"].lon, hubs["LGG"].lat, hubs["LGG"].lon)
    # Independent check: the spherical law of cosines on the same sphere.
    p1, p2 = math.radians(hubs["HGH"].lat), math.radians(hubs["LGG"].lat)
    dl = math.radians(hubs["LGG"].lon - hubs["HGH"].lon)
    cosines = EARTH_RADIUS_KM * math.acos(
        math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    )
    assert gcd == pytest.approx(cosines, abs=0.01)
    expected = 30 + (round(gcd, 1) + 95) / 850 * 60
    assert flight.duration_minutes == round(expected / 5) * 5
    assert str(flight.co2_kg_per_kg) == f"{0.880 * (round(gcd, 1) + 95) / 1000:.4f}"


def _load_and_validate(directory: Path) -> None:
    files = read_network_dir(directory, TODAY)
    validate_network(files.hubs, files.services, files.zones)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "mine"
    shutil.copytree(BUILTIN_DIR, target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "where"),
    [
        (
            "services.csv",
            "AIR-CGO-LGG,air,CGO,LGG",
            "AIR-CGO-LGG,air,CGO,XXX",
            "destination",
            "services.csv line 4",
        ),
        (
            "services.csv",
            "AIR-CGO-LGG,air,CGO,LGG",
            "AIR-CGO-LGG,air,CGO,CGO",
            "destination",
            "must differ",
        ),
        (
            "services.csv",
            ",100000,650,2.95,",
            ",-5,650,2.95,",
            "capacity_kg",
            "must not be negative",
        ),
        ("zones.csv", "BE,LGG,18", "XX,LGG,18", "country", "zones.csv line 2"),
        ("zones.csv", "BE,LGG,18", "BE,ZZZ,18", "hub", "unknown hub"),
        (
            "hubs.csv",
            "FRA,Frankfurt road hub,DE,,,,120",
            "QQQ,Nowhere,DE,,,,120",
            "code",
            "hubs.csv line 9",
        ),
    ],
)
def test_bad_network_files_name_the_file_line_and_field(
    tmp_path: Path, file: str, old: str, new: str, field: str, where: str
) -> None:
    directory = _copy(tmp_path)
    path = directory / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InvalidInput) as err:
        _load_and_validate(directory)
    assert err.value.field == field
    assert where in str(err.value)
