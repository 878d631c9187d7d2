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
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal

from ewtp.domain.customs.allocation import allocate_ratios, over_common_denominator
from ewtp.domain.customs.model import Assessment, Consignment, LineAssessment, Problem
from ewtp.domain.customs.money import EcbRate, cents, convert, ratio_cents
from ewtp.domain.customs.rules import RuleBook
from ewtp.domain.customs.screening import Screening
from ewtp.domain.errors import InvalidInput

__all__ = ["STALE_DAYS", "EuBasis", "assess_eu", "display_rate", "eu_basis"]

EUR = "EUR"
STALE_DAYS = 4  # a rate older than this before the day its rule asks for is warned of
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
    """Assess `c` into an EU member state (the rules in the module docstring)."""
    return eu_basis(c, book, rates, screening).assess(c.transport_cost + c.insurance_cost)


@dataclass(frozen=True, slots=True)
class EuBasis:
    """The part of an EU assessment that transport and insurance do not change, so the
    options of one quote (one price each) share it: `assess` adds what they do change.

    `consignment` is the one the basis was made from; its own transport and insurance are
    ignored. Line amounts are exact integer ratios (see `_ratio`), rounded in `assess`.
    """

    consignment: Consignment
    src: EcbRate
    eur: EcbRate
    total_in: tuple[int, int]
    values: tuple[tuple[int, int], ...]
    intrinsic: Decimal
    vat_rate: Decimal
    scheme: str
    ad_valorem: tuple[tuple[int, int] | None, ...]  # MFN rate (percent) of each line
    flat_duty: tuple[tuple[int, int], ...]  # duty of each line that does not scale
    fees: Decimal
    reasons: tuple[str, ...]
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]

    def assess(self, transport_and_insurance: Decimal) -> Assessment:
        """The assessment with `transport_and_insurance` (consignment currency) added."""
        c, eur = self.consignment, self.eur
        customs_value = self.intrinsic + convert(transport_and_insurance, self.src, eur)
        vat_rate, fees = self.vat_rate, self.fees
        # duty_i = customs value x rate_i% x value_i / total value, exactly (integers)
        cv_n, cv_d = customs_value.as_integer_ratio()
        total_n, total_d = self.total_in
        duty_parts = [
            flat
            if rate is None
            else (cv_n * rate[0] * value[0] * total_d, cv_d * rate[1] * value[1] * 100 * total_n)
            for rate, flat, value in zip(self.ad_valorem, self.flat_duty, self.values, strict=True)
        ]
        exact_duty, duty_denominator = over_common_denominator(duty_parts)
        duty = ratio_cents(sum(exact_duty), duty_denominator)

        vat = cents((customs_value + duty + fees) * vat_rate / HUNDRED)
        line_duty = allocate_ratios(duty, exact_duty, duty_denominator)
        # vat_i = ((customs value + fees) x value_i / total value + line duty_i) x rate%
        base_n, base_d = (customs_value + fees).as_integer_ratio()
        rate_n, rate_d = vat_rate.as_integer_ratio()
        vat_parts = []
        for (value_n, value_d), line in zip(self.values, line_duty, strict=True):
            line_n, line_d = line.as_integer_ratio()
            share_d = base_d * value_d * total_n
            vat_parts.append(
                (
                    (base_n * value_n * total_d * line_d + line_n * share_d) * rate_n,
                    share_d * line_d * rate_d * 100,
                )
            )
        line_vat = allocate_ratios(vat, *over_common_denominator(vat_parts))

        total_taxes = duty + vat + fees
        return Assessment(
            currency=EUR,
            exchange_rate=display_rate(self.src, eur),
            intrinsic_value=self.intrinsic,
            intrinsic_value_eur=self.intrinsic,
            customs_value=customs_value,
            duty=duty,
            vat=vat,
            vat_rate=vat_rate,
            consumption_tax=Decimal(0),
            fees=fees,
            total_taxes=total_taxes,
            landed_cost=customs_value + total_taxes,
            scheme=self.scheme,
            declaration_type="H1" if self.reasons else "H7",
            allowed=not self.errors,
            lines=tuple(
                LineAssessment(i, item.hs_code, line_duty[i], line_vat[i])
                for i, item in enumerate(c.items)
            ),
            warnings=self.warnings,
            errors=self.errors,
            exchange_rate_date=self.src.on,
            declaration_reasons=self.reasons,
            exchange_rate_rule=self.src.rule,
        )


def eu_basis(
    c: Consignment, book: RuleBook, rates: Mapping[str, EcbRate], screening: Screening
) -> EuBasis:
    """Everything of `assess_eu(c, ...)` that does not depend on transport or insurance."""
    src, eur = rates[c.currency], rates.get(EUR) or eur_rate(c.date)
    total_in = sum((item.value for item in c.items), Decimal(0))
    intrinsic = convert(total_in, src, eur)
    vat_rate = book.vat_rate(c.destination_country, c.date).rate
    regime = book.duty_regime(c.date)
    lvc = intrinsic <= regime.lvc_threshold_eur
    excise, restricted = screening.excise_items, screening.restricted_items
    scheme = _scheme(c, lvc, bool(excise), bool(restricted))

    zero = (0, 1)
    ad_valorem: list[tuple[int, int] | None] = [None] * len(c.items)
    flat_duty = [zero] * len(c.items)
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
            ad_valorem[i] = line.rate.as_integer_ratio()
        elif regime.regime == "flat_per_hs6" and item.hs_code[:6] not in seen_hs6:
            seen_hs6.add(item.hs_code[:6])
            flat_duty[i] = regime.flat_duty_eur.as_integer_ratio()

    fees = Decimal(0)
    unconfirmed: list[str] = []
    for fee in book.fees_for(c.destination_country, c.date):
        if fee.lvc_only and not lvc:
            continue
        if fee.unconfirmed:
            unconfirmed.append(f"{fee.amount} {fee.currency} per {fee.per}: {fee.source}")
        count = {
            "parcel": 1,
            "line": len(c.items),
            "hs6": len({item.hs_code[:6] for item in c.items}),
        }[fee.per]
        fees += convert(fee.amount * count, rates[fee.currency], eur)

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
    for row in unconfirmed:
        warnings.append(
            Problem("rule_unconfirmed", f"a fee row not yet confirmed was applied ({row})")
        )
    if ((src.reference or c.date) - src.on).days > STALE_DAYS:
        warnings.append(
            Problem(
                "fx_rate_stale",
                f"the rate used for {c.currency} is of {src.on.isoformat()}, more than "
                f"{STALE_DAYS} days before the day the rule asks for",
            )
        )
    return EuBasis(
        consignment=c,
        src=src,
        eur=eur,
        total_in=total_in.as_integer_ratio(),
        values=tuple(item.value.as_integer_ratio() for item in c.items),
        intrinsic=intrinsic,
        vat_rate=vat_rate,
        scheme=scheme,
        ad_valorem=tuple(ad_valorem),
        flat_duty=tuple(flat_duty),
        fees=fees,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        errors=tuple(screening.errors),
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
