"""Crisis lines and emergency numbers per region, from ``prompts/safety/resources.yaml``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, HttpUrl

from bot.yaml_files import StrictModel, YamlFileError, load_model


class CrisisLine(StrictModel):
    name: str = Field(min_length=1)
    how: str = Field(min_length=1)
    url: HttpUrl | None = None


class Region(StrictModel):
    name: str = Field(min_length=1)
    emergency: str = Field(min_length=1)
    lines: list[CrisisLine]


class Directory(StrictModel):
    name: str = Field(min_length=1)
    url: HttpUrl


class CrisisResources(StrictModel):
    directory: Directory
    regions: dict[str, Region] = Field(min_length=1)


def load_crisis_resources(path: Path, region: str) -> tuple[Region, Directory]:
    """The deployment's region and the international directory; the region must exist."""
    resources = load_model(path, CrisisResources)
    if region not in resources.regions:
        known = ", ".join(sorted(resources.regions))
        raise YamlFileError(f"{path}: CRISIS_REGION {region!r} is not one of: {known}")
    return resources.regions[region], resources.directory
