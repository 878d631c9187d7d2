"""All runtime settings in one place, read from `EWTP_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Process settings. Every field maps to `EWTP_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="EWTP_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./var/ewtp.db",
        description="SQLAlchemy URL; use postgresql+psycopg://... for PostgreSQL.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
    var_dir: Path = Field(
        default=Path("./var"), description="Where local state (SQLite file, demo key) lives."
    )
    db_connect_timeout_seconds: int = Field(default=3, ge=1)
    db_pool_size: int = Field(
        default=8, ge=1, le=200,
        description="Database connections each server process keeps (docs/operations.md).",
    )  # fmt: skip
    db_max_overflow: int = Field(
        default=4, ge=0, le=200,
        description="Extra connections a process may open at a peak, closed when idle.",
    )  # fmt: skip
    overload_wait_seconds: float = Field(
        default=2.0, gt=0, le=30,
        description="Longest a request waits for a connection, the SQLite writer or a "
        "worker slot before it is answered 503 with Retry-After.",
    )  # fmt: skip
    max_in_flight: int = Field(
        default=32, ge=1, le=1024,
        description="Requests a server process works on at once (health and static files "
        "aside); more wait up to EWTP_OVERLOAD_WAIT_SECONDS, then get 503.",
    )  # fmt: skip
    sqlite_busy_seconds: float = Field(
        default=5.0, gt=0,
        description="SQLite: how long the server waits for another process's write lock.",
    )  # fmt: skip
    rate_limit_per_second: float = Field(
        default=50.0, gt=0, description="Merchant API: sustained requests per second per key."
    )
    rate_limit_burst: int = Field(
        default=200, ge=1, description="Merchant API: requests a key may send at once."
    )
    merchant_threads: int = Field(
        default=2, ge=1, le=64, description="Worker threads for merchant quote requests."
    )
    auth_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        description="Merchant API: how long a checked API key is trusted before it is looked up "
        "again (a revoked key stops working within this time; 0 checks every request).",
    )
    idempotency_ttl_hours: int = Field(
        default=24, ge=24, description="How long an Idempotency-Key and its answer are kept."
    )
    idempotency_lease_seconds: int = Field(
        default=600,
        ge=1,
        description="How long a request holds its Idempotency-Key before a retry of the same "
        "request may take the key over (the holder is presumed gone, e.g. a crashed worker).",
    )
    webhook_retry_seconds: str = Field(
        default="60,300,1800,7200,21600,86400",
        description="Back-off between webhook delivery attempts, in seconds, comma-separated.",
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Allow webhook URLs on loopback/private/link-local addresses (tests only).",
    )
    webhook_retention_days: int = Field(
        default=30,
        ge=1,
        description="Ended webhook deliveries, and dispatched events left without any, are "
        "deleted once older than this (hourly by the worker, or `ewtp webhooks prune`).",
    )
    worker_in_process: bool = Field(
        default=True, description="Run the webhook delivery worker inside `ewtp serve`."
    )
    fx_max_age_days: int = Field(
        default=31, ge=0,
        description="Customs: refuse an ECB rate more than this many days before the date.",
    )  # fmt: skip
    fx_source_url: str = Field(
        default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip",
        description="Customs: the ECB rates file `ewtp fx fetch` and the worker download.",
    )
    fx_fetch_enabled: bool = Field(
        default=True, description="Customs: the worker fetches ECB rates at start and daily."
    )
    fx_fetch_time_utc: str = Field(
        default="16:30", pattern=r"^\d{2}:\d{2}$",
        description="Customs: daily fetch time (UTC), after the ECB publishes (~16:00 CET).",
    )  # fmt: skip
    max_request_bytes: int = Field(
        default=16 * 2**20,
        ge=1024,
        description="Largest request body the API reads (413 above it); the bulk shipment "
        "upload's own 10 MB file limit and a full 10,000-scan batch fit under the default.",
    )
    scan_max_future_minutes: int = Field(
        default=15,
        ge=0,
        description="Tracking: refuse a scan dated more than this many minutes ahead of the clock.",
    )
    webhook_allow_http: bool = Field(
        default=False,
        description="Accept plain http:// webhook URLs (local testing); https:// otherwise.",
    )
    worker_poll_seconds: float = Field(default=1.0, gt=0, description="Worker idle poll interval.")
    session_idle_minutes: int = Field(
        default=60, ge=1, description="Web: a session ends after this long without a request."
    )
    session_absolute_hours: int = Field(
        default=12, ge=1, description="Web: a session ends this long after sign-in, used or not."
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Web: the session cookie's Secure flag; unset means on unless the server "
        "binds to localhost (plain-HTTP development).",
    )
    signin_max_per_email: int = Field(
        default=5, ge=1, description="Web: failed sign-ins per e-mail address per window."
    )
    signin_max_per_ip: int = Field(
        default=30, ge=1, description="Web: failed sign-ins per client IP address per window."
    )
    signin_window_minutes: int = Field(default=15, ge=1, description="Web: sign-in limit window.")
    password_hash_fast: bool = Field(
        default=False, description="Web: cheap argon2 parameters (tests and benchmarks only)."
    )

    @field_validator("webhook_retry_seconds")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts or not all(p.replace(".", "", 1).isdigit() for p in parts):
            raise ValueError("must be comma-separated non-negative seconds, e.g. 60,300,1800")
        return value

    @property
    def webhook_retry_schedule(self) -> tuple[int, ...]:
        """The retry back-off as whole seconds, e.g. (60, 300, ...)."""
        parts = [p.strip() for p in self.webhook_retry_seconds.split(",") if p.strip()]
        return tuple(max(0, int(float(p))) for p in parts)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process; cached so every layer sees the same values."""
    return Settings()
