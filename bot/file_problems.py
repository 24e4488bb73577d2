"""Problems found in files clinicians edit (protocols, articles), each with file and line.

A file is used whole or not at all, so loaders collect every problem before refusing, and the
``check`` commands print them one per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class FileProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


class FileProblems(Exception):  # noqa: N818 (a collection of problems, raised as one)
    """At least one file cannot be used; ``problems`` says where each mistake is."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems
