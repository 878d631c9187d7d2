"""Vectorized assessment of a manifest batch (one row per item line) with polars.

Money is computed in exact integers: amounts ×10^4, ECB rates ×10^6, percentages ×10^3,
sums in Int128; each figure is rounded once, half-up, as (2n + d) // 2d. The formulas are
the scalar engine's (`domain/customs/eu.py`, `cbec.py`) with the rationals multiplied out,
so both engines round the same exact value and agree to the cent.

Consignments the fast path does not cover go through the scalar engine one by one
(`scalar.assess_rows`), so the output is the same whatever the path: rows that fail the
strict text formats, unknown codes or dates outside the tables (errors), screening
refusals, CBEC refusals, and explicit schemes whose conditions fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from ewtp.adapters.bulk.lookups import RATE_SCALE, Lookups
from ewtp.adapters.bulk.scalar import assess_rows
from ewtp.adapters.fx import RateTable
from ewtp.domain.customs.manifest import (
    HEADER_COLUMNS,
    INPUT_COLUMNS,
    OPTIONAL_COLUMNS,
    OPTIONAL_HEADER,
    RESULT_COLUMNS,
)
from ewtp.domain.customs.money import MAX_AMOUNT
from ewtp.domain.customs.rules import RuleBook

__all__ = ["BulkContext", "assess_frame"]

I128 = pl.Int128
MONEY_RE = r"^\d{1,8}(?:\.\d{1,4})?$"
MAX4 = int(MAX_AMOUNT) * 10**4
MAX_I4 = 10**12  # beyond this a consignment takes the scalar path (Int128 headroom)
STALE_DAYS = 4
E5 = 100 * 1000  # 100 % in thousandths of a percent


@dataclass(frozen=True)
class BulkContext:
    """What a batch needs: the rule book and the ECB rate table (both picklable)."""

    book: RuleBook
    rates: RateTable


def _lit(value: int) -> pl.Expr:
    return pl.lit(value, dtype=I128)


def _round(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Half-up rounding of num/den for num >= 0, den > 0."""
    return (num * 2 + den) // (den * 2)


def _convert(amount4: pl.Expr, src6: pl.Expr, dst6: pl.Expr) -> pl.Expr:
    """Cents of `amount4`/10^4 converted by dst/src (the scalar `convert`)."""
    return _round(amount4.cast(I128) * dst6.cast(I128), src6.cast(I128) * 100)


def _money4(col: str) -> tuple[pl.Expr, pl.Expr]:
    text = pl.col(col)
    whole = text.str.extract(r"^(\d{1,8})", 1).cast(pl.Int64)
    frac = text.str.extract(r"\.(\d{1,4})$", 1).fill_null("").str.pad_end(4, "0").cast(pl.Int64)
    value = whole * 10_000 + frac
    ok = text.str.contains(MONEY_RE).fill_null(False) & (value <= MAX4).fill_null(False)
    return value, ok


def _blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def _text_frame(raw: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS) if c not in raw.columns]
    df = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)
    return df.select(pl.col(c).cast(pl.String) for c in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS))


def _fmt(cents: pl.Expr) -> pl.Expr:
    c = cents.cast(pl.Int64)
    return (c // 100).cast(pl.String) + "." + (c % 100).cast(pl.String).str.pad_start(2, "0")


def assess_frame(raw: pl.DataFrame, ctx: BulkContext, row_offset: int = 0) -> pl.DataFrame:
    """One result row per consignment of `raw`, in order of first appearance."""
    book, look = ctx.book, Lookups(ctx.book, ctx.rates)
    df = _text_frame(raw).with_row_index("_row")
    countries = sorted(book.countries)

    unit4, unit_ok = _money4("unit_value")
    tr4, tr_ok = _money4("transport_cost")
    ins4, ins_ok = _money4("insurance_cost")
    _w4, w_ok = _money4("weight_kg")
    used4, used_ok = _money4("buyer_annual_used")
    wh4, wh_ok = _money4("battery_watt_hours")
    g4, g_ok = _money4("battery_lithium_grams")
    iso = r"^[A-Z]{2}$"
    df = df.with_columns(
        pl.col("date").str.to_date("%Y-%m-%d", strict=False).alias("_date"),
        unit4.alias("_unit4"),
        (tr4 + ins4).alias("_t4"),
        pl.when(_blank("buyer_annual_used")).then(0).otherwise(used4).alias("_used4"),
        pl.col("quantity").str.extract(r"^(\d{1,6})$", 1).cast(pl.Int64).alias("_qty"),
        pl.col("hs_code").str.slice(0, 6).alias("_hs6"),
        wh4.alias("_wh4"),
        g4.alias("_g4"),
        pl.when(_blank("scheme")).then(pl.lit("auto")).otherwise(pl.col("scheme")).alias("_scheme"),
        pl.struct([*HEADER_COLUMNS, *OPTIONAL_HEADER]).hash().alias("_hh"),
    )
    has_battery = ~_blank("battery_un_number")
    line_ok = (
        ~_blank("consignment_id")
        & pl.col("_date").is_not_null()
        & pl.col("date").str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
        & pl.col("origin_country").str.contains(iso).fill_null(False)
        & pl.col("origin_country").is_in(countries)
        & pl.col("destination_country").str.contains(iso).fill_null(False)
        & pl.col("destination_country").is_in(countries)
        & (_blank("import_country") | pl.col("import_country").is_in(countries))
        & pl.col("currency").str.contains(r"^[A-Z]{3}$").fill_null(False)
        & (_blank("seller_ioss") | pl.col("seller_ioss").str.contains(r"^IM\d{10}$"))
        & pl.col("_scheme").is_in(["auto", "ioss", "special_arrangements", "standard"])
        & tr_ok & ins_ok & unit_ok & w_ok & (pl.col("_unit4") > 0)
        & (_blank("buyer_annual_used") | used_ok)
        & pl.col("hs_code").str.contains(r"^\d{6,10}$").fill_null(False)
        & ~_blank("description")
        & (pl.col("_qty") >= 1).fill_null(False)
        & pl.col("item_origin_country").str.contains(iso).fill_null(False)
        & pl.col("item_origin_country").is_in(countries)
        & (~has_battery | (
            pl.col("battery_un_number").is_in(["UN3480", "UN3481", "UN3090", "UN3091"])
            & (_blank("battery_watt_hours") | wh_ok)
            & (_blank("battery_lithium_grams") | g_ok)
        ))
    )  # fmt: skip
    df = df.with_columns(line_ok.fill_null(False).alias("_ok"))
    no_id = df.filter(_blank("consignment_id"))
    df = df.filter(~_blank("consignment_id"))

    good = df.filter("_ok")
    codes = good.select("hs_code", "_date").unique().rows()
    good = (
        good.join(look.code_frame(codes), left_on=["hs_code", "_date"], right_on=["hs_code", "date"], how="left")
        .join(_battery_frame(look, good), left_on=["battery_un_number", "_date"], right_on=["un", "date"], how="left")
        .with_columns(_restricted_kind(book).alias("_restricted"))
    )  # fmt: skip
    good = good.with_columns(
        (pl.col("_qty") * pl.col("_unit4")).cast(I128).alias("_v4"),
    ).with_columns(
        _battery_state().alias("_battery"),
        (pl.col("tariff_m").cast(I128) * pl.col("_v4")).alias("_tv"),
        pl.when("relief_excluded")
        .then(pl.col("tariff_m").cast(I128) * pl.col("_v4"))
        .otherwise(_lit(0))
        .alias("_tv_excl"),
    )
    first = pl.col
    agg = good.group_by("consignment_id", maintain_order=True).agg(
        first("_row").min().alias("_first_row"),
        (first("_hh").min() != first("_hh").max()).alias("_inconsistent"),
        *[first(c).first() for c in (*HEADER_COLUMNS, "_date", "_t4", "_used4", "_scheme")],
        first("_v4").sum().alias("_i4"),
        first("_tv").sum().alias("_s_all"),
        first("_tv_excl").sum().alias("_s_excl"),
        first("tariff_m").is_null().any().alias("_unknown_all"),
        (first("tariff_m").is_null() & first("relief_excluded")).any().alias("_unknown_excl"),
        first("_row").count().alias("_n_lines"),
        first("_hs6").n_unique().alias("_n_hs6"),
        first("_qty").first().alias("_qty1"),
        first("excise").any().alias("_excise"),
        first("_restricted").is_not_null().any().alias("_restricted_any"),
        first("_restricted").drop_nulls().unique().sort().alias("_restricted_kinds"),
        (first("_battery") == "error").any().alias("_battery_error"),
        (first("_battery") == "ok").any().alias("_battery_warn"),
        first("cbec_vat_m").is_null().any().alias("_off_list"),
        first("cbec_vat_m").n_unique().alias("_n_cbec_vat"),
        first("cbec_vat_str").first().alias("_cbec_vat_str"),
        (first("_v4") * first("cbec_duty_m").cast(I128)).sum().alias("_s_cn_duty"),
        *_cbec_terms(look.ct_lcm),
    )
    # Every line of a consignment must pass the strict formats for the fast path.
    all_ids = df.group_by("consignment_id", maintain_order=True).agg(
        pl.col("_row").min().alias("_first_row"), pl.col("_ok").all().alias("_all_ok")
    )
    agg = agg.join(all_ids.select("consignment_id", "_all_ok"), on="consignment_id")
    fast = _consignment_rules(agg, look).filter("_fast")
    slow_ids = all_ids.join(fast.select("consignment_id"), on="consignment_id", how="anti")
    out = _render(fast)
    fallback = _fallback(df, slow_ids, ctx)
    if no_id.height:
        fallback = pl.concat([fallback, _no_id_records(no_id, row_offset)], how="vertical_relaxed")
    both = pl.concat([out, fallback], how="vertical_relaxed").sort("_first_row")
    return both.select(RESULT_COLUMNS)


def _battery_frame(look: Lookups, good: pl.DataFrame) -> pl.DataFrame:
    pairs = good.filter(~_blank("battery_un_number")).select("battery_un_number", "_date")
    rows = []
    for un, on in pairs.unique().rows():
        rule = look.book.battery_rule(un, on)
        if rule is not None:
            rows.append(
                {
                    "un": un, "date": on, "b_allowed": rule.allowed,
                    "b_max_wh4": None if rule.max_watt_hours is None
                    else int(rule.max_watt_hours * 10_000),
                    "b_max_g4": None if rule.max_lithium_grams is None
                    else int(rule.max_lithium_grams * 10_000),
                }
            )  # fmt: skip
    schema = {
        "un": pl.String, "date": pl.Date, "b_allowed": pl.Boolean, "b_max_wh4": pl.Int64,
        "b_max_g4": pl.Int64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def _battery_state() -> pl.Expr:
    """null (no battery), "error" (refused) or "ok" (Section II), as `screening._battery`."""
    wh, g = pl.col("_wh4"), pl.col("_g4")
    max_wh, max_g = pl.col("b_max_wh4"), pl.col("b_max_g4")
    return (
        pl.when(_blank("battery_un_number")).then(pl.lit(None, dtype=pl.String))
        .when(~pl.col("b_allowed")).then(pl.lit("error"))
        .when(max_wh.is_not_null() & (wh.is_null() | (wh > max_wh))).then(pl.lit("error"))
        .when(max_g.is_not_null() & (g.is_null() | (g > max_g))).then(pl.lit("error"))
        .otherwise(pl.lit("ok"))
    )  # fmt: skip


def _restricted_kind(book: RuleBook) -> pl.Expr:
    """The kind of the first restricted term an item matches (table order), or null."""
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    text = pl.col("description").str.to_lowercase()
    for term in reversed(book.restricted):
        hit = (
            pl.col("hs_code").str.starts_with(term.value)
            if term.match == "hs_prefix"
            else text.str.contains(term.value.lower(), literal=True)
        )
        in_force_ = pl.col("_date") >= term.valid_from
        if term.valid_to is not None:
            in_force_ = in_force_ & (pl.col("_date") <= term.valid_to)
        expr = pl.when(hit & in_force_).then(pl.lit(term.kind)).otherwise(expr)
    return expr


def _cbec_terms(lcm_: int) -> list[pl.Expr]:
    """Σ v × K × rate × (L / (100% − CT)) for VAT and CT, within limits and at full rates."""
    v = pl.col("_v4")
    common = _lit(lcm_) // (_lit(E5) - pl.col("ct_m").cast(I128))
    k_full = _lit(E5) + pl.col("cbec_duty_m").cast(I128)
    vat, ct = pl.col("cbec_vat_m").cast(I128), pl.col("ct_m").cast(I128)
    return [
        (v * _lit(E5) * vat * common).sum().alias("_tv_within"),
        (v * k_full * vat * common).sum().alias("_tv_full"),
        (v * _lit(E5) * ct * common).sum().alias("_tc_within"),
        (v * k_full * ct * common).sum().alias("_tc_full"),
    ]


def _fees(agg: pl.DataFrame, look: Lookups) -> pl.DataFrame:
    """Per consignment: Σ national fees in EUR cents, and whether a fee's rate is missing."""
    pairs = agg.select("destination_country", "_date").unique().rows()
    table = look.fee_frame(pairs)
    empty = {"consignment_id": pl.String, "_fees": I128, "_fee_missing": pl.Boolean}
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
    amount = _convert(
        count.cast(I128) * pl.col("fee_amount4"), pl.col("fee_src6"), _lit(RATE_SCALE)
    )
    return joined.group_by("consignment_id").agg(
        pl.when(applies).then(amount).otherwise(_lit(0)).sum().alias("_fees"),
        pl.col("fee_src6").is_null().any().alias("_fee_missing"),
    )


def _consignment_rules(agg: pl.DataFrame, look: Lookups) -> pl.DataFrame:
    """Join the per-date and per-currency rules, compute every figure, and mark `_fast`."""
    c = pl.col
    agg = (
        agg.join(look.currency_frame(agg.select("currency", "_date").unique().rows()),
                 left_on=["currency", "_date"], right_on=["currency", "date"], how="left")
        .join(look.date_frame(agg["_date"].unique().to_list()),
              left_on="_date", right_on="date", how="left")
        .join(look.vat_frame(agg.select("destination_country", "_date").unique().rows()),
              left_on=["destination_country", "_date"], right_on=["destination_country", "date"],
              how="left")
        .join(look.ioss_frame(agg.filter(~_blank("seller_ioss"))["seller_ioss"].unique().to_list()),
              on="seller_ioss", how="left")
    )  # fmt: skip
    eur6, i4, t4 = _lit(RATE_SCALE), c("_i4"), c("_t4")
    agg = agg.with_columns(
        _convert(i4, c("src6"), eur6).alias("_intr_eu"),
        _convert(t4, c("src6"), eur6).alias("_tr_eu"),
        _convert(i4, c("src6"), c("cny6")).alias("_price_cn"),
        _convert(t4, c("src6"), c("cny6")).alias("_tr_cn"),
    ).with_columns(
        (c("_intr_eu") + c("_tr_eu")).alias("_cv_eu"),
        (c("_intr_eu") <= c("threshold_c")).fill_null(False).alias("_lvc"),
        (c("_price_cn") + c("_tr_cn")).alias("_base_cn"),
    )
    agg = agg.join(_fees(agg, look), on="consignment_id", how="left").with_columns(
        c("_fees").fill_null(_lit(0)), c("_fee_missing").fill_null(False)
    )
    lvc, regime = c("_lvc"), c("regime")
    mfn_all = ~lvc | (regime == "tariff")
    mfn_excl = lvc & (regime == "relief")
    s = pl.when(mfn_all).then(c("_s_all")).when(mfn_excl).then(c("_s_excl")).otherwise(_lit(0))
    flat = (
        pl.when(lvc & (regime == "flat_per_hs6"))
        .then(c("flat_c").cast(I128) * c("_n_hs6").cast(I128))
        .otherwise(_lit(0))
    )
    den = _lit(E5) * i4
    agg = agg.with_columns(_round(c("_cv_eu") * s + flat * den, den).alias("_duty_eu"))
    agg = agg.with_columns(
        _round((c("_cv_eu") + c("_duty_eu") + c("_fees")) * c("vat_m").cast(I128), _lit(E5)).alias("_vat_eu")
    )  # fmt: skip
    # China CBEC
    single = (c("_n_lines") == 1) & (c("_qty1") == 1)
    over_tx = c("_base_cn") > c("tx_limit_c")
    full = over_tx & single
    over_annual = (c("_used4").cast(I128) + c("_base_cn") * 100) > c("annual_c").cast(I128) * 100
    fn = pl.when(full).then(_lit(1)).otherwise(c("factor_n").cast(I128))
    fd = pl.when(full).then(_lit(1)).otherwise(c("factor_d").cast(I128))
    cden = fd * i4 * _lit(E5) * _lit(look.ct_lcm)
    tv = pl.when(full).then(c("_tv_full")).otherwise(c("_tv_within"))
    tc = pl.when(full).then(c("_tc_full")).otherwise(c("_tc_within"))
    agg = agg.with_columns(
        full.fill_null(False).alias("_full"),
        _round(c("_base_cn") * fn * tv, cden).alias("_vat_cn"),
        _round(c("_base_cn") * fn * tc, cden).alias("_ct_cn"),
        pl.when(full).then(_round(c("_base_cn") * c("_s_cn_duty"), i4 * _lit(E5)))
        .otherwise(_lit(0)).alias("_duty_cn"),
    )  # fmt: skip
    eu = sorted(look.book.eu_members)
    dest, sch = c("destination_country"), c("_scheme")
    ioss_present = ~_blank("seller_ioss")
    imp = pl.when(_blank("import_country")).then(dest).otherwise(c("import_country"))
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
        & (_blank("import_country") | c("import_country").is_in(eu))
        & ~((mfn_all & c("_unknown_all")) | (mfn_excl & c("_unknown_excl")))
    )  # fmt: skip
    cn_fast = (
        (dest == "CN") & (c("origin_country") != "CN") & sch.is_in(["auto", "standard"])
        & c("cny6").is_not_null() & c("factor_n").is_not_null() & ~c("_off_list")
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


def _render(fast: pl.DataFrame) -> pl.DataFrame:
    c = pl.col
    cn = c("_cn")

    def pick(eu: pl.Expr, china: pl.Expr) -> pl.Expr:
        return pl.when(cn).then(china).otherwise(eu)

    duty = pick(c("_duty_eu"), c("_duty_cn"))
    vat = pick(c("_vat_eu"), c("_vat_cn"))
    ct = pick(_lit(0), c("_ct_cn"))
    fees = pick(c("_fees"), _lit(0))
    total = duty + vat + ct + fees
    value = pick(c("_cv_eu"), c("_base_cn"))
    stale_src = (c("_date") - c("src_on")).dt.total_days() > STALE_DAYS
    stale_cny = (c("_date") - c("cny_on")).dt.total_days() > STALE_DAYS
    stale = pick(stale_src, stale_src | stale_cny)
    warnings = pl.concat_list(
        pl.when(c("_excise")).then(pl.lit("excise_goods")),
        pl.when(c("_battery_warn")).then(pl.lit("battery_section_ii")),
        pl.when(stale).then(pl.lit("fx_rate_stale")),
        pl.when(cn & c("_full")).then(pl.lit("cbec_full_rates")),
        c("_restricted_kinds").list.eval(pl.lit("restricted_") + pl.element()),
    )
    return fast.select(
        c("consignment_id"),
        pick(pl.lit("EUR"), pl.lit("CNY")).alias("currency"),
        pick(c("show_eur"), c("show_cny")).alias("exchange_rate"),
        pick(c("src_on"), pl.min_horizontal("src_on", "cny_on")).cast(pl.String).alias("exchange_rate_date"),
        _fmt(pick(c("_intr_eu"), c("_price_cn"))).alias("intrinsic_value"),
        _fmt(pick(c("_intr_eu"), _convert(c("_i4"), c("src6"), _lit(RATE_SCALE)))).alias("intrinsic_value_eur"),
        _fmt(value).alias("customs_value"),
        _fmt(duty).alias("duty"),
        _fmt(vat).alias("vat"),
        pl.when(cn).then(pl.when(c("_n_cbec_vat") == 1).then(c("_cbec_vat_str")))
        .otherwise(c("vat_rate")).alias("vat_rate"),
        _fmt(ct).alias("consumption_tax"),
        _fmt(fees).alias("fees"),
        _fmt(total).alias("total_taxes"),
        _fmt(value + total).alias("landed_cost"),
        pick(c("_scheme_eu"), pl.lit("cbec")).alias("scheme"),
        pick(c("_decl_eu"), pl.lit("9610")).alias("declaration_type"),
        pl.lit(True).alias("allowed"),
        pl.lit("").alias("error_codes"),
        warnings.list.drop_nulls().list.unique().list.sort().list.join(";").alias("warning_codes"),
        pl.lit(None, dtype=pl.String).alias("error_message"),
        c("_first_row"),
    )  # fmt: skip


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS, pl.String)
    schema["allowed"] = pl.Boolean
    schema["_first_row"] = pl.UInt32
    return schema


def _fallback(df: pl.DataFrame, slow: pl.DataFrame, ctx: BulkContext) -> pl.DataFrame:
    """Assess the remaining consignments one at a time with the scalar engine."""
    if slow.height == 0:
        return pl.DataFrame(schema=_schema())
    rows = df.join(slow.select("consignment_id"), on="consignment_id").sort("_row")
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows.select(*INPUT_COLUMNS, *OPTIONAL_COLUMNS).iter_rows(named=True):
        groups.setdefault(row["consignment_id"], []).append(row)
    first_rows = dict(slow.select("consignment_id", "_first_row").iter_rows())
    records = []
    for cid, group in groups.items():
        record = assess_rows(cid, group, ctx.book, ctx.rates)
        record["_first_row"] = first_rows[cid]
        records.append(record)
    return pl.DataFrame(records, schema=_schema())


def _no_id_records(rows: pl.DataFrame, row_offset: int) -> pl.DataFrame:
    records = []
    for index in rows["_row"].to_list():
        record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
        record.update(
            allowed=False, error_codes="invalid_input", warning_codes="", _first_row=index,
            error_message=f"consignment_id: is required (input row {row_offset + index + 1})",
        )  # fmt: skip
        records.append(record)
    return pl.DataFrame(records, schema=_schema())
