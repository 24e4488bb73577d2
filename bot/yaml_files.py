"""Reading a YAML file clinicians edit into a strict model, with errors that say where."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class StrictModel(BaseModel):
    """Unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class YamlFileError(Exception):
    """The file cannot be used; the message names it, and the line or key that is wrong."""


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise YamlFileError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "is not valid YAML"
        raise YamlFileError(f"{path}{line}: {problem}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = [
            ".".join(str(part) for part in problem["loc"]) + ": " + problem["msg"]
            for problem in error.errors(include_url=False)
        ]
        raise YamlFileError(f"{path}: " + "; ".join(problems)) from None
