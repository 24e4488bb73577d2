"""Reading ``prompts/instruments/*.yaml``, checked whole, with the line of every mistake."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from bot.domain.instruments.model import Band, Instrument, Option
from bot.file_problems import FileProblem, FileProblems
from bot.yaml_files import StrictModel
from bot.yaml_lines import YamlLineError, describe_problem, line_of, load_with_lines

FOLDER = "instruments"


class InstrumentError(FileProblems):
    """At least one instrument cannot be used."""


class OptionSpec(StrictModel):
    value: int = Field(ge=0, le=10)
    label: str = Field(min_length=1, max_length=40)


class BandSpec(StrictModel):
    start: int = Field(alias="from", ge=0)
    name: str = Field(min_length=1)


class InstrumentSpec(StrictModel):
    name: str = Field(min_length=1)
    source: str = Field(min_length=5)
    intro: str = Field(min_length=5)
    options: list[OptionSpec] = Field(min_length=2)
    items: list[str] = Field(min_length=1)
    bands: list[BandSpec] = Field(min_length=1)
    crisis_item: int | None = Field(default=None, ge=1)
    alert_from: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> InstrumentSpec:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError("two options have the same value")
        starts = [b.start for b in self.bands]
        lowest = len(self.items) * min(values)
        if starts != sorted(set(starts)) or starts[0] != lowest:
            raise ValueError(f"bands must rise, the first starting at the lowest total ({lowest})")
        if self.crisis_item is not None and self.crisis_item > len(self.items):
            raise ValueError("crisis_item is beyond the last item")
        return self

    def to_instrument(self, key: str) -> Instrument:
        return Instrument(
            key=key,
            name=self.name,
            source=self.source,
            intro=self.intro,
            options=tuple(Option(o.value, o.label) for o in self.options),
            items=tuple(self.items),
            bands=tuple(Band(b.start, b.name) for b in self.bands),
            crisis_item=self.crisis_item,
            alert_from=self.alert_from,
        )


def load_instruments(prompts_dir: Path) -> dict[str, Instrument]:
    paths = sorted((prompts_dir / FOLDER).glob("*.yaml"))
    problems: list[FileProblem] = []
    instruments: dict[str, Instrument] = {}
    for path in paths:
        try:
            tree = load_with_lines(path.read_text(encoding="utf-8"))
        except YamlLineError as error:
            problems.append(FileProblem(path, error.line, error.problem))
            continue
        try:
            spec = InstrumentSpec.model_validate(tree if isinstance(tree, dict) else {})
        except ValidationError as error:
            problems += [
                FileProblem(path, line_of(tree, p["loc"]), describe_problem(p))
                for p in error.errors(include_url=False)
            ]
            continue
        instruments[path.stem] = spec.to_instrument(path.stem)
    if problems:
        raise InstrumentError(sorted(problems))
    return instruments
