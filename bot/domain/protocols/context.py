"""What a protocol template may mention, in one place, so checks and sending agree."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PromptContext:
    first_name: str
    session_number: int | None  # None for steps not tied to a session (recurring ones)
    days_since_session: int | None
    mood_average: float | None  # over the last seven local days; None without check-ins
    pain_average: float | None

    def variables(self) -> dict[str, Any]:
        return asdict(self)


# Used by `protocols check` to render every template once: any variable a template names that
# is not here is an error before the template ever reaches a patient.
SAMPLE_CONTEXTS = (
    PromptContext("Sam", 2, 3, 5.5, 4.0),
    PromptContext("Sam", None, None, None, None),
)
