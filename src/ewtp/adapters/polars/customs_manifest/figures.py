"""Consignment-level figures of the bulk engine: EU duty/fees/VAT, CBEC taxes, the output row.

The integer forms of `domain/customs/eu.py` and `cbec.py` (see `exprs.py` for the scales);
`_fast` marks the consignments whose every condition the vectorized path covers.
"""

from __future__ import annotations

import polars as pl

from ewtp.adapters.polars.customs_manifest.exprs import (
    E5,
    I128,
    MAX_I4,
    STALE_DAYS,
    blank,
    convert,
    fmt,
    lit,
    round_half_up,
)  # fmt: skip
from ewtp.adapters.polars.customs_manifest.lookups import RATE_SCALE, Lookups
from ewtp.domain.customs.fx_rules import CN_CROSS

__all__ = ["consignment_figures", "render"]


def _fees(agg: pl.DataFrame, look: Lookups) -> pl.DataFrame:
    """Per consignment: Σ national fees in EUR cents, and whether a fee's rate is missing."""
    pairs = agg.select("destination_country", "_date").unique().rows()
    table = look.fee_frame(pairs)
    empty = {
        "consignment_id": pl.String, "_fees": I128, "_fee_missing": pl.Boolean,
        "_fee_unconfirmed": pl.Boolean,
    }  # fmt: skip
    if table.height == 0:
        return pl.DataFrame(schema=empty)
    joined = agg.select("consignment_id", "destination_country", "_date", "_n_lines", "_n_hs6", "_lvc").join(
        table, left_on=["destination_country", "_date"], right_on=["destination_country", "date"]
    )  # fmt: skip
    count = (
        pl.when(pl.col("fee_per") == "parcel").then(1)
        .when(pl.col("fee_per") == "line").then(pl.col("_n_lines"))
        .otherwise(pl.col("_n_hs6"))
    )  # fmt: skip
    applies = ~pl.col("fee_lvc_only") | pl.col("_lvc")
    amount = convert(count.cast(I128) * pl.col("fee_amount4"), pl.col("fee_src6"), lit(RATE_SCALE))
    return joined.group_by("consignment_id").agg(
        pl.when(applies).then(amount).otherwise(lit(0)).sum().alias("_fees"),
        pl.col("fee_src6").is_null().any().alias("_fee_missing"),
        (applies & pl.col("fee_unconfirmed")).any().alias("_fee_unconfirmed"),
    )


def consignment_figures(agg: pl.DataFrame, look: Lookups) -> pl.DataFrame:
    """Join the per-date and per-currency rules, compute every figure, and mark `_fast`."""
    c = pl.col
    agg = (
        agg.join(look.currency_frame(agg.select("currency", "destination_country", "_date").unique().rows()),
                 left_on=["currency", "destination_country", "_date"],
                 right_on=["currency", "destination_country", "date"], how="left")
        .join(look.date_frame(agg["_date"].unique().to_list()),
              left_on="_date", right_on="date", how="left")
        .join(look.vat_frame(agg.select("destination_country", "_date").unique().rows()),
              left_on=["destination_country", "_date"], right_on=["destination_country", "date"],
              how="left")
        .join(look.ioss_frame(agg.filter(~blank("seller_ioss"))["seller_ioss"].unique().to_list()),
              on="seller_ioss", how="left")
    )  # fmt: skip
    eur6, i4, t4 = lit(RATE_SCALE), c("_i4"), c("_t4")
    agg = agg.with_columns(
        convert(i4, c("src6"), eur6).alias("_intr_eu"),
        convert(t4, c("src6"), eur6).alias("_tr_eu"),
        convert(i4, c("src6"), c("cny6")).alias("_price_cn"),
        convert(t4, c("src6"), c("cny6")).alias("_tr_cn"),
    ).with_columns(
        (c("_intr_eu") + c("_tr_eu")).alias("_cv_eu"),
        (c("_intr_eu") <= c("threshold_c")).fill_null(False).alias("_lvc"),
        (c("_price_cn") + c("_tr_cn")).alias("_base_cn"),
    )
    agg = agg.join(_fees(agg, look), on="consignment_id", how="left").with_columns(
        c("_fees").fill_null(lit(0)),
        c("_fee_missing").fill_null(False),
        c("_fee_unconfirmed").fill_null(False),
    )
    lvc, regime = c("_lvc"), c("regime")
    mfn_all = ~lvc | (regime == "tariff")
    mfn_excl = lvc & (regime == "relief")
    s = pl.when(mfn_all).then(c("_s_all")).when(mfn_excl).then(c("_s_excl")).otherwise(lit(0))
    flat = (
        pl.when(lvc & (regime == "flat_per_hs6"))
        .then(c("flat_c").cast(I128) * c("_n_hs6").cast(I128))
        .otherwise(lit(0))
    )
    den = lit(E5) * i4
    agg = agg.with_columns(round_half_up(c("_cv_eu") * s + flat * den, den).alias("_duty_eu"))
    agg = agg.with_columns(
        round_half_up((c("_cv_eu") + c("_duty_eu") + c("_fees")) * c("vat_m").cast(I128), lit(E5)).alias("_vat_eu")
    )  # fmt: skip
    # China CBEC
    single = (c("_n_lines") == 1) & (c("_qty1") == 1)
    over_tx = c("_base_cn") > c("tx_limit_c")
    full = over_tx & single
    over_annual = (c("_used4").cast(I128) + c("_base_cn") * 100) > c("annual_c").cast(I128) * 100
    fn = pl.when(full).then(lit(1)).otherwise(c("factor_n").cast(I128))
    fd = pl.when(full).then(lit(1)).otherwise(c("factor_d").cast(I128))
    cden = fd * i4 * lit(E5) * lit(look.ct_lcm)
    tv = pl.when(full).then(c("_tv_full")).otherwise(c("_tv_within"))
    tc = pl.when(full).then(c("_tc_full")).otherwise(c("_tc_within"))
    agg = agg.with_columns(
        full.fill_null(False).alias("_full"),
        round_half_up(c("_base_cn") * fn * tv, cden).alias("_vat_cn"),
        round_half_up(c("_base_cn") * fn * tc, cden).alias("_ct_cn"),
        pl.when(full).then(round_half_up(c("_base_cn") * c("_s_cn_duty"), i4 * lit(E5)))
        .otherwise(lit(0)).alias("_duty_cn"),
    )  # fmt: skip
    eu = sorted(look.book.eu_members)
    dest, sch = c("destination_country"), c("_scheme")
    ioss_present = ~blank("seller_ioss")
    imp = pl.when(blank("import_country")).then(dest).otherwise(c("import_country"))
    excise, restricted = c("_excise"), c("_restricted_any")
    scheme_ok = (
        pl.when(sch == "ioss").then(ioss_present & lvc & ~excise)
        .when(sch == "special_arrangements").then((imp == dest) & lvc & ~excise & ~restricted)
        .otherwise(True)
    )  # fmt: skip
    common = (
        c("_all_ok") & ~c("_inconsistent") & ~c("_battery_error") & (i4 <= MAX_I4)
        & c("src6").is_not_null() & (~ioss_present | c("ioss_ok").fill_null(False))
    )  # fmt: skip
    eu_fast = (
        dest.is_in(eu) & ~c("origin_country").is_in(eu) & regime.is_not_null()
        & c("vat_m").is_not_null() & ~c("_fee_missing") & scheme_ok
        & (blank("import_country") | c("import_country").is_in(eu))
        & ~((mfn_all & c("_unknown_all")) | (mfn_excl & c("_unknown_excl")))
    )  # fmt: skip
    cn_fast = (
        (dest == "CN") & (c("origin_country") != "CN") & sch.is_in(["auto", "standard"])
        & c("cny6").is_not_null() & c("factor_n").is_not_null() & ~c("_off_list")
        & ~c("_ct_conditional")
        & ~over_annual & (~over_tx | single)
    )  # fmt: skip
    scheme_eu = (
        pl.when(sch.is_in(["ioss", "special_arrangements"])).then(sch)
        .when((sch == "auto") & ioss_present & lvc & ~excise).then(pl.lit("ioss"))
        .otherwise(pl.lit("standard"))
    )  # fmt: skip
    return agg.with_columns(
        (common & (eu_fast | cn_fast)).fill_null(False).alias("_fast"),
        (dest == "CN").alias("_cn"),
        scheme_eu.alias("_scheme_eu"),
        pl.when(~lvc | excise | restricted).then(pl.lit("H1")).otherwise(pl.lit("H7")).alias("_decl_eu"),
    )  # fmt: skip


def render(fast: pl.DataFrame, kinds: list[str]) -> pl.DataFrame:
    c = pl.col
    cn = c("_cn")

    def pick(eu: pl.Expr, china: pl.Expr) -> pl.Expr:
        return pl.when(cn).then(china).otherwise(eu)

    duty = pick(c("_duty_eu"), c("_duty_cn"))
    vat = pick(c("_vat_eu"), c("_vat_cn"))
    ct = pick(lit(0), c("_ct_cn"))
    fees = pick(c("_fees"), lit(0))
    total = duty + vat + ct + fees
    value = pick(c("_cv_eu"), c("_base_cn"))
    stale_src = (c("fx_ref") - c("src_on")).dt.total_days() > STALE_DAYS
    stale_cny = (c("fx_ref") - c("cny_on")).dt.total_days() > STALE_DAYS
    stale = pick(stale_src, stale_src | stale_cny)
    flags = {
        "battery_section_ii": c("_battery_warn"),
        "cbec_full_rates": cn & c("_full"),
        "excise_goods": c("_excise"),
        "fx_rate_stale": stale,
        "fx_cross_rate": cn & (c("fx_rule") == CN_CROSS),
        "rule_unconfirmed": ~cn & c("_fee_unconfirmed"),
        **{f"restricted_{kind}": c(f"_restricted_{kind}") for kind in kinds},
    }
    warnings = pl.concat_str(
        [pl.when(flag).then(pl.lit(code)) for code, flag in sorted(flags.items())],
        separator=";",
        ignore_nulls=True,
    )
    return fast.select(
        c("consignment_id"),
        pick(pl.lit("EUR"), pl.lit("CNY")).alias("currency"),
        pick(c("show_eur"), c("show_cny")).alias("exchange_rate"),
        pick(c("src_on"), pl.min_horizontal("src_on", "cny_on")).cast(pl.String).alias("exchange_rate_date"),
        c("fx_rule").alias("exchange_rate_rule"),
        fmt(pick(c("_intr_eu"), c("_price_cn"))).alias("intrinsic_value"),
        fmt(pick(c("_intr_eu"), convert(c("_i4"), c("src6"), lit(RATE_SCALE)))).alias("intrinsic_value_eur"),
        fmt(value).alias("customs_value"),
        fmt(duty).alias("duty"),
        fmt(vat).alias("vat"),
        pl.when(cn).then(pl.when(c("_n_cbec_vat") == 1).then(c("_cbec_vat_str")))
        .otherwise(c("vat_rate")).alias("vat_rate"),
        fmt(ct).alias("consumption_tax"),
        fmt(fees).alias("fees"),
        fmt(total).alias("total_taxes"),
        fmt(value + total).alias("landed_cost"),
        pick(c("_scheme_eu"), pl.lit("cbec")).alias("scheme"),
        pick(c("_decl_eu"), pl.lit("9610")).alias("declaration_type"),
        pl.lit(True).alias("allowed"),
        pl.lit("").alias("error_codes"),
        warnings.alias("warning_codes"),
        pl.lit(None, dtype=pl.String).alias("error_message"),
        c("_first_row"),
    )  # fmt: skip
