"""EU import of a consignment: the €150 test, the VAT scheme, duty, fees, VAT, H7 or H1.

Rules (data in `ewtp/data/customs/`, sources in each row):
- Intrinsic value = Σ quantity × unit value, converted to EUR at the ECB rate of the date,
  rounded to the cent. A low-value consignment (LVC) has intrinsic value <= €150.
- Customs value = intrinsic value + all transport and insurance (we include the whole
  cost, not only the part to the EU border, and say so in the README).
- Duty by the regime in force: `relief` (Reg. 1186/2009 Art. 23; Art. 24 excludes
  alcohol, perfumes and tobacco, which pay the tariff), `flat_per_hs6` (€3 per distinct
  HS6 subheading in an LVC, Council Reg. (EU) 2026/382), `tariff` (ad valorem on all).
  Above €150: ad valorem MFN rate × the line's share of the customs value (shares in
  proportion to intrinsic value). Exact sum, rounded once.
- VAT = destination standard rate × (customs value + duty + fees charged to the buyer),
  rounded once (Directive 2006/112/EC Art. 85-86; Commission example €6 duty -> €1.20 VAT).
- Scheme: IOSS with a valid IOSS number for an eligible LVC (no excise goods); special
  arrangements when asked, for an LVC without excise or restricted goods, imported in the
  destination state; otherwise standard.
- H7 for an LVC without excise or restricted goods (Reg. 2015/2446 Art. 143a); else H1.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Context, Decimal
from fractions import Fraction

from ewtp.domain.customs.allocation import allocate
from ewtp.domain.customs.model import Assessment, Consignment, LineAssessment, Problem
from ewtp.domain.customs.money import EcbRate, cents, convert
from ewtp.domain.customs.rules import RuleBook
from ewtp.domain.customs.screening import Screening
from ewtp.domain.errors import InvalidInput

__all__ = ["assess_eu", "display_rate"]

EUR = "EUR"
HUNDRED = Decimal(100)


def display_rate(source: EcbRate, target: EcbRate) -> Decimal:
    """Units of `target` per unit of `source`, to 8 significant digits (shown, not used)."""
    if source.currency == target.currency:
        return Decimal(1)
    return Context(prec=8).divide(target.per_eur, source.per_eur)


def eur_rate(on: date) -> EcbRate:
    return EcbRate(EUR, Decimal(1), on)


def assess_eu(
    c: Consignment, book: RuleBook, rates: Mapping[str, EcbRate], screening: Screening
) -> Assessment:
    src, eur = rates[c.currency], eur_rate(c.date)
    total_in = sum((item.value for item in c.items), Decimal(0))
    intrinsic = convert(total_in, src, eur)
    customs_value = intrinsic + convert(c.transport_cost + c.insurance_cost, src, eur)
    vat_rate = book.vat_rate(c.destination_country, c.date).rate
    regime = book.duty_regime(c.date)
    lvc = intrinsic <= regime.lvc_threshold_eur
    excise, restricted = screening.excise_items, screening.restricted_items
    scheme = _scheme(c, lvc, bool(excise), bool(restricted))

    exact_duty = [Fraction(0)] * len(c.items)
    seen_hs6: set[str] = set()
    for i, item in enumerate(c.items):
        special = book.special(item.hs_code, c.date)
        mfn = not lvc or regime.regime == "tariff"
        mfn = mfn or (regime.regime == "relief" and special is not None and special.relief_excluded)
        if mfn:
            line = book.tariff_line(item.hs_code, c.date)
            if line is None:
                raise InvalidInput(
                    f"HS {item.hs_code[:6]} is not in the tariff table; a duty rate is needed "
                    "(load a TARIC extract with `ewtp customs tariff load`)",
                    field=f"items[{i}].hs_code",
                )
            exact_duty[i] = (
                Fraction(customs_value)
                * Fraction(line.rate)
                * Fraction(item.value)
                / (100 * Fraction(total_in))
            )
        elif regime.regime == "flat_per_hs6" and item.hs_code[:6] not in seen_hs6:
            seen_hs6.add(item.hs_code[:6])
            exact_duty[i] = Fraction(regime.flat_duty_eur)
    duty = cents(sum(exact_duty, Fraction(0)))

    fees = Decimal(0)
    for fee in book.fees_for(c.destination_country, c.date):
        if fee.lvc_only and not lvc:
            continue
        count = {
            "parcel": 1,
            "line": len(c.items),
            "hs6": len({item.hs_code[:6] for item in c.items}),
        }[fee.per]
        fees += convert(fee.amount * count, rates[fee.currency], eur)

    vat = cents((customs_value + duty + fees) * vat_rate / HUNDRED)
    line_duty = allocate(duty, exact_duty)
    exact_vat = [
        (
            Fraction(customs_value + fees) * Fraction(item.value) / Fraction(total_in)
            + Fraction(line_duty[i])
        )
        * Fraction(vat_rate)
        / 100
        for i, item in enumerate(c.items)
    ]
    line_vat = allocate(vat, exact_vat)

    reasons: list[str] = []
    if not lvc:
        reasons.append(f"intrinsic value above EUR {regime.lvc_threshold_eur}")
    if excise:
        reasons.append("excise goods (items " + ", ".join(map(str, sorted(excise))) + ")")
    if restricted:
        reasons.append(
            "goods possibly under prohibitions or restrictions (items "
            + ", ".join(map(str, sorted(restricted)))
            + ")"
        )
    warnings = list(screening.warnings)
    if (c.date - src.on).days > 4:
        warnings.append(
            Problem(
                "fx_rate_stale",
                f"latest ECB rate for {c.currency} is of {src.on.isoformat()}; "
                "load a newer ECB file with `ewtp fx load`",
            )
        )
    total_taxes = duty + vat + fees
    return Assessment(
        currency=EUR,
        exchange_rate=display_rate(src, eur),
        intrinsic_value=intrinsic,
        intrinsic_value_eur=intrinsic,
        customs_value=customs_value,
        duty=duty,
        vat=vat,
        vat_rate=vat_rate,
        consumption_tax=Decimal(0),
        fees=fees,
        total_taxes=total_taxes,
        landed_cost=customs_value + total_taxes,
        scheme=scheme,
        declaration_type="H1" if reasons else "H7",
        allowed=not screening.errors,
        lines=tuple(
            LineAssessment(i, item.hs_code, line_duty[i], line_vat[i])
            for i, item in enumerate(c.items)
        ),
        warnings=tuple(warnings),
        errors=tuple(screening.errors),
        exchange_rate_date=src.on,
        declaration_reasons=tuple(reasons),
    )


def _scheme(c: Consignment, lvc: bool, excise: bool, restricted: bool) -> str:
    """The VAT scheme: IOSS, special arrangements or standard (see the module docstring)."""
    if c.scheme == "ioss":
        if c.seller_ioss is None:
            raise InvalidInput("an IOSS number is required for scheme ioss", field="seller_ioss")
        if not lvc:
            raise InvalidInput("IOSS covers only consignments of EUR 150 or less", field="scheme")
        if excise:
            raise InvalidInput("IOSS excludes excise goods (alcohol, tobacco)", field="scheme")
        return "ioss"
    if c.scheme == "special_arrangements":
        import_country = c.import_country or c.destination_country
        if import_country != c.destination_country:
            raise InvalidInput(
                f"special arrangements need the member state of import ({import_country}) "
                f"to be the destination ({c.destination_country})",
                field="import_country",
            )
        if not lvc:
            raise InvalidInput(
                "special arrangements cover only consignments of EUR 150 or less", field="scheme"
            )
        if excise or restricted:
            raise InvalidInput(
                "special arrangements exclude excise goods and goods under restrictions",
                field="scheme",
            )
        return "special_arrangements"
    if c.scheme == "auto" and c.seller_ioss is not None and lvc and not excise:
        return "ioss"
    return "standard"
