"""The unit-of-work port: one transaction around a use case.

Each capability extends `AbstractUnitOfWork` with the repositories it needs, so the
ports of one capability never touch another's. Leaving the `with` block without
`commit()` rolls back: nothing partial is ever written.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self

__all__ = ["AbstractUnitOfWork"]


class AbstractUnitOfWork(abc.ABC):
    """A transaction boundary. Use as `with uow: ...; uow.commit()`."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None:
        """Make every change of this unit durable."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Forget every uncommitted change (a no-op after commit)."""
