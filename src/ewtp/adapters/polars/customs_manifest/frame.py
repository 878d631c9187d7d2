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

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from ewtp.adapters.polars.customs_manifest.exprs import E5, I128, MONEY, blank, lit, money4
from ewtp.adapters.polars.customs_manifest.figures import consignment_figures, render
from ewtp.adapters.polars.customs_manifest.lookups import Lookups, scaled
from ewtp.adapters.polars.customs_manifest.scalar import assess_rows
from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.manifest import (
    HEADER_COLUMNS,
    INPUT_COLUMNS,
    MONEY_COLUMNS,
    OPTIONAL_COLUMNS,
    OPTIONAL_HEADER,
    RESULT_COLUMNS,
)
from ewtp.domain.customs.rules import RuleBook

__all__ = [
    "NON_CONTIGUOUS",
    "BulkContext",
    "assess_frame",
    "non_contiguous_record",
    "result_schema",
]

NON_CONTIGUOUS = "non_contiguous_rows"  # error code of a consignment whose rows are scattered


@dataclass(frozen=True)
class BulkContext:
    """What a batch needs: the rule book, the rate sources and the stored CBEC usage by
    (buyer_id, year), read once at the start of a run (all picklable). Bulk assessment is
    a quote: it reads the stored usage like `assess_landed_cost(record_cbec_usage=False)`
    and never records any."""

    book: RuleBook
    rates: FxSources
    usage: Mapping[tuple[str, int], Decimal] = field(default_factory=dict)


def result_schema() -> dict[str, Any]:
    """Result columns: text, `allowed` boolean, money as Decimal(18, 2)."""
    schema: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS, pl.String)
    schema.update(dict.fromkeys(MONEY_COLUMNS, MONEY), allowed=pl.Boolean)
    return schema


def _text_frame(raw: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS) if c not in raw.columns]
    df = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in missing)
    return df.select(pl.col(c).cast(pl.String) for c in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS))


def assess_frame(raw: pl.DataFrame, ctx: BulkContext, row_offset: int = 0) -> pl.DataFrame:
    """One result row per consignment of `raw`, in order of first appearance."""
    book, look = ctx.book, Lookups(ctx.book, ctx.rates)
    kinds = sorted({term.kind for term in book.restricted})
    df = _text_frame(raw).with_row_index("_row")
    # `_pos`: the row's position among the file's rows (set by the runner before it drops
    # rows of refused consignments), so contiguity is judged on the file, not the batch.
    position = raw["_pos"].cast(pl.Int64) if "_pos" in raw.columns else None
    df = df.with_columns(
        pl.col("_row").cast(pl.Int64).alias("_pos") if position is None else pl.lit(position)
    )
    countries = sorted(book.countries)

    unit4, unit_ok = money4("unit_value")
    tr4, tr_ok = money4("transport_cost")
    ins4, ins_ok = money4("insurance_cost")
    _w4, w_ok = money4("weight_kg")
    used4, used_ok = money4("buyer_annual_used")
    wh4, wh_ok = money4("battery_watt_hours")
    g4, g_ok = money4("battery_lithium_grams")
    df = df.with_columns(
        pl.col("date").str.to_date("%Y-%m-%d", strict=False).alias("_date"),
        unit4.alias("_unit4"),
        (tr4 + ins4).alias("_t4"),
        pl.when(blank("buyer_annual_used"))
        .then(_stored_usage(raw, ctx))
        .otherwise(used4)
        .alias("_used4"),
        pl.when(pl.col("quantity").str.contains(r"^\d{1,6}$"))
        .then(pl.col("quantity").cast(pl.Int64, strict=False))
        .alias("_qty"),
        pl.col("hs_code").str.slice(0, 6).alias("_hs6"),
        wh4.alias("_wh4"),
        g4.alias("_g4"),
        pl.when(blank("scheme")).then(pl.lit("auto")).otherwise(pl.col("scheme")).alias("_scheme"),
        pl.struct([*HEADER_COLUMNS, *OPTIONAL_HEADER]).hash().alias("_hh"),
    )
    has_battery = ~blank("battery_un_number")
    line_ok = (
        ~blank("consignment_id")
        & pl.col("_date").is_not_null()
        & pl.col("date").str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
        & pl.col("origin_country").is_in(countries)
        & pl.col("destination_country").is_in(countries)
        & (blank("import_country") | pl.col("import_country").is_in(countries))
        & pl.col("currency").str.contains(r"^[A-Z]{3}$").fill_null(False)
        & (blank("seller_ioss") | pl.col("seller_ioss").str.contains(r"^IM\d{10}$"))
        & pl.col("_scheme").is_in(["auto", "ioss", "special_arrangements", "standard"])
        & tr_ok & ins_ok & unit_ok & w_ok & (pl.col("_unit4") > 0)
        & (blank("buyer_annual_used") | used_ok)
        & pl.col("hs_code").str.contains(r"^\d{6,10}$").fill_null(False)
        & (pl.col("_hs6").is_in(sorted(book.hs6)) if book.hs6 else pl.lit(True))
        & ((pl.col("destination_country") != "CN") | (pl.col("hs_code").str.len_chars() >= 8))
        & ~blank("description")
        # Net content is validated (and used) by the scalar path only.
        & blank("net_quantity") & blank("net_unit")
        & (pl.col("_qty") >= 1).fill_null(False)
        & pl.col("item_origin_country").is_in(countries)
        & (~has_battery | (
            pl.col("battery_un_number").is_in(["UN3480", "UN3481", "UN3090", "UN3091"])
            & (blank("battery_watt_hours") | wh_ok)
            & (blank("battery_lithium_grams") | g_ok)
        ))
    )  # fmt: skip
    df = df.with_columns(line_ok.fill_null(False).alias("_ok"))
    no_id = df.filter(blank("consignment_id"))
    df = df.filter(~blank("consignment_id"))

    # Lookups only for well-formed lines; the others' consignments go to the scalar path.
    valid = df.filter("_ok")
    codes = valid.select("hs_code", "_date").unique().rows()
    good = (
        df.join(look.code_frame(codes), left_on=["hs_code", "_date"], right_on=["hs_code", "date"], how="left")
        .join(_battery_frame(look, valid), left_on=["battery_un_number", "_date"], right_on=["un", "date"], how="left")
    )  # fmt: skip
    good = _with_restricted(good, book)
    good = good.with_columns(
        (pl.col("_qty") * pl.col("_unit4")).cast(I128).alias("_v4"),
    ).with_columns(
        _battery_state().alias("_battery"),
        (pl.col("tariff_m").cast(I128) * pl.col("_v4")).alias("_tv"),
        pl.when("relief_excluded")
        .then(pl.col("tariff_m").cast(I128) * pl.col("_v4"))
        .otherwise(lit(0))
        .alias("_tv_excl"),
    )
    first = pl.col
    agg = good.group_by("consignment_id", maintain_order=True).agg(
        first("_row").min().alias("_first_row"),
        first("_pos").min().alias("_pos_min"),
        first("_pos").max().alias("_pos_max"),
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
        *[(first("_restricted") == kind).any().alias(f"_restricted_{kind}") for kind in kinds],
        (first("_battery") == "error").any().alias("_battery_error"),
        (first("_battery") == "ok").any().alias("_battery_warn"),
        first("cbec_vat_m").is_null().any().alias("_off_list"),
        # A price-conditioned consumption tax (cosmetics, watches) goes to the scalar path.
        first("ct_conditional").any().alias("_ct_conditional"),
        first("cbec_vat_m").n_unique().alias("_n_cbec_vat"),
        first("cbec_vat_str").first().alias("_cbec_vat_str"),
        (first("_v4") * first("cbec_duty_m").cast(I128)).sum().alias("_s_cn_duty"),
        *_cbec_terms(look.ct_lcm),
        # Every line of a consignment must pass the strict formats for the fast path.
        first("_ok").all().alias("_all_ok"),
    )
    # Rows of one consignment must be next to each other (see `files.py`): refuse the others.
    split = (pl.col("_pos_max") - pl.col("_pos_min") + 1) != pl.col("_n_lines")
    scattered = agg.filter(split).select("consignment_id", "_first_row")
    agg = agg.filter(~split)
    all_ids = agg.select("consignment_id", "_first_row")
    fast = consignment_figures(agg, look).filter("_fast")
    slow_ids = all_ids.join(fast.select("consignment_id"), on="consignment_id", how="anti")
    out = render(fast, kinds)
    fallback = _fallback(df, slow_ids, ctx)
    if scattered.height:
        fallback = pl.concat(
            [fallback, _scattered_records(scattered, row_offset)], how="vertical_relaxed"
        )
    if no_id.height:
        fallback = pl.concat([fallback, _no_id_records(no_id, row_offset)], how="vertical_relaxed")
    both = pl.concat([out, fallback], how="vertical_relaxed").sort("_first_row")
    return both.select(RESULT_COLUMNS)


def _stored_usage(raw: pl.DataFrame, ctx: BulkContext) -> pl.Expr:
    """The stored CBEC usage (×10^4) of each row's (buyer_id, year), 0 when none.

    Only rows of CN consignments with a buyer_id and no buyer_annual_used use it (as the
    scalar engine does); looking it up for every row is the same and simpler."""
    if not ctx.usage or "buyer_id" not in raw.columns:
        return pl.lit(0, dtype=pl.Int64)
    keys = pl.concat_str(
        pl.col("buyer_id").str.strip_chars(), pl.col("date").str.slice(0, 4),
        separator="\x1f",
    )  # fmt: skip
    mapping = {
        f"{buyer}\x1f{year}": scaled(used, 10**4) for (buyer, year), used in ctx.usage.items()
    }
    stored = keys.replace_strict(mapping, default=0, return_dtype=pl.Int64)
    china = pl.col("destination_country") == "CN"
    return pl.when(china).then(stored).otherwise(0).fill_null(0)


def _battery_frame(look: Lookups, good: pl.DataFrame) -> pl.DataFrame:
    pairs = good.filter(~blank("battery_un_number")).select("battery_un_number", "_date")
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
        pl.when(blank("battery_un_number")).then(pl.lit(None, dtype=pl.String))
        .when(~pl.col("b_allowed")).then(pl.lit("error"))
        .when(max_wh.is_not_null() & (wh.is_null() | (wh > max_wh))).then(pl.lit("error"))
        .when(max_g.is_not_null() & (g.is_null() | (g > max_g))).then(pl.lit("error"))
        .otherwise(pl.lit("ok"))
    )  # fmt: skip


def _with_restricted(frame: pl.DataFrame, book: RuleBook) -> pl.DataFrame:
    """Add `_restricted`; the full term-by-term check runs only on rows a cheap
    multi-pattern search (Aho-Corasick over the lower-cased text) says may match."""
    keywords = sorted({t.value.lower() for t in book.restricted if t.match == "keyword"})
    prefixes = sorted({t.value for t in book.restricted if t.match == "hs_prefix"})
    maybe = pl.lit(False)
    if keywords:
        maybe = pl.col("description").str.to_lowercase().str.contains_any(keywords)
    for prefix in prefixes:
        maybe = maybe | pl.col("hs_code").str.starts_with(prefix)
    hits = (
        frame.select("_row", "description", "hs_code", "_date")
        .filter(maybe.fill_null(False))
        .select("_row", _restricted_kind(book).alias("_restricted"))
    )
    return frame.join(hits, on="_row", how="left")


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
    common = lit(lcm_) // (lit(E5) - pl.col("ct_m").cast(I128))
    k_full = lit(E5) + pl.col("cbec_duty_m").cast(I128)
    vat, ct = pl.col("cbec_vat_m").cast(I128), pl.col("ct_m").cast(I128)
    return [
        (v * lit(E5) * vat * common).sum().alias("_tv_within"),
        (v * k_full * vat * common).sum().alias("_tv_full"),
        (v * lit(E5) * ct * common).sum().alias("_tc_within"),
        (v * k_full * ct * common).sum().alias("_tc_full"),
    ]


def _schema() -> dict[str, Any]:
    schema = result_schema()
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
        record = assess_rows(cid, group, ctx.book, ctx.rates, ctx.usage)
        record["_first_row"] = first_rows[cid]
        records.append(record)
    return _typed(records)


def _typed(records: list[dict[str, Any]]) -> pl.DataFrame:
    text = {k: (pl.String if v is MONEY else v) for k, v in _schema().items()}
    return pl.DataFrame(records, schema=text).cast(_schema())  # type: ignore[arg-type]


def _scattered_records(rows: pl.DataFrame, row_offset: int) -> pl.DataFrame:
    records = []
    for cid, index in rows.iter_rows():
        record = non_contiguous_record(cid, f"first at input row {row_offset + index + 1}")
        record["_first_row"] = index
        records.append(record)
    return _typed(records)


def non_contiguous_record(consignment_id: str, where: str) -> dict[str, Any]:
    """The refusal of a consignment whose rows are not next to each other in the input."""
    record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    record.update(
        consignment_id=consignment_id, allowed=False, error_codes=NON_CONTIGUOUS,
        warning_codes="",
        error_message=(
            f"consignment_id: the rows of consignment {consignment_id} are not next to each "
            f"other in the input ({where}); group the manifest's rows by consignment_id"
        ),
    )  # fmt: skip
    return record


def _no_id_records(rows: pl.DataFrame, row_offset: int) -> pl.DataFrame:
    records = []
    for index in rows["_row"].to_list():
        record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
        record.update(
            allowed=False, error_codes="invalid_input", warning_codes="", _first_row=index,
            error_message=f"consignment_id: is required (input row {row_offset + index + 1})",
        )  # fmt: skip
        records.append(record)
    return _typed(records)
