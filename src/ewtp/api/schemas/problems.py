"""The RFC 9457 problem body, as a schema: what every 4xx and 5xx answer carries."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Problem", "ProblemFieldError"]


class ProblemFieldError(BaseModel):
    """One invalid input: where it was, its full path, and why it was refused."""

    model_config = ConfigDict(populate_by_name=True)

    field: str = Field(description="Full path of the value, e.g. `items[0].hs_code`.")
    in_: str | None = Field(default=None, alias="in", description="body, query, path or header.")
    reason: str


class Problem(BaseModel):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(
        description="A URN naming the kind of problem, e.g. urn:ewtp:problem:conflict."
    )
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str
    instance: str = Field(description="The path of the request that failed.")
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="Every invalid field, when the input was refused."
    )
