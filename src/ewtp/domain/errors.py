"""Domain errors: each names the offending field and the reason.

DomainError
 ├── InvalidInput      (bad value: API 422, CLI exit 2)
 ├── NotFound          (unknown id, or another tenant's id: 404)
 ├── Conflict          (state forbids the action: 409)
 ├── Unauthenticated   (missing or unknown credentials: 401)
 ├── Forbidden         (authenticated but wrong role: 403)
 ├── TooLarge          (a batch over its limit: 413)
 └── Unavailable       (at capacity right now, retry after a few seconds: 503)
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "ShipmentCancelled",
    "TooLarge",
    "Unauthenticated",
    "Unavailable",
]


class DomainError(Exception):
    """Base of every error the platform reports to a user."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def field_errors(self) -> list[tuple[str, str]]:
        """Each (field path, reason) this error reports; several for a batch."""
        return [(self.field, self.message)] if self.field else []


class InvalidInput(DomainError):
    """A value is malformed or breaks a rule."""

    code = "invalid_input"


class NotFound(DomainError):
    """The thing does not exist, or belongs to someone else (never say which)."""

    code = "not_found"


class Conflict(DomainError):
    """The current state does not allow the requested change."""

    code = "conflict"


class ShipmentCancelled(Conflict):
    """The shipment was cancelled: its label and customs records are void."""

    code = "shipment_cancelled"


class Unauthenticated(DomainError):
    """No credentials, or credentials nobody issued."""

    code = "unauthenticated"


class Forbidden(DomainError):
    """Valid credentials for a role that may not do this."""

    code = "forbidden"


class Unavailable(DomainError):
    """The platform is at capacity (connections, the SQLite writer) and said so quickly,
    rather than holding the request; the caller should retry after `retry_after` s."""

    code = "overloaded"

    def __init__(self, message: str, *, retry_after: int = 1, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class TooLarge(DomainError):
    """A batch holds more items than one request may carry."""

    code = "too_large"
