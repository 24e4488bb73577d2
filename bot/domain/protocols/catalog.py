"""Which protocols a clinic can use: the shipped files, and versions its clinicians uploaded.

An uploaded protocol is checked exactly like a shipped one and stored as a new version for that
clinic only; a session keeps the version it started with, so editing a protocol never changes
the prompts of a session already under way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.clock import Clock
from bot.domain.protocols.loader import ProtocolError, TemplateChecker, load_protocol_text
from bot.domain.protocols.model import Protocol
from bot.file_problems import FileProblem
from bot.storage import ProtocolVersion, Store

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Listed:
    key: str
    name: str
    version: int | None  # None: the shipped file
    steps: int


class ProtocolCatalog:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        shipped: Mapping[str, Protocol],
        templates: TemplateChecker,
        instruments: Collection[str] = (),
    ) -> None:
        self._store = store
        self._clock = clock
        self.shipped = shipped
        self._templates = templates
        self._instruments = frozenset(instruments)
        self._parse = lru_cache(maxsize=64)(self._parse_source)

    def current(self, clinic_id: int | None, key: str) -> tuple[Protocol, int | None] | None:
        """The newest version of ``key`` for this clinic, or the shipped file."""
        versions = [v for v in self._versions(clinic_id) if v.key == key]
        if versions:
            newest = versions[-1]
            return self._parse(newest.key, newest.source), newest.version
        protocol = self.shipped.get(key)
        return (protocol, None) if protocol is not None else None

    def get(self, clinic_id: int | None, key: str, version: int | None) -> Protocol | None:
        """A session's own protocol: that exact version (or the shipped file)."""
        if version is not None:
            for stored in self._versions(clinic_id):
                if stored.key == key and stored.version == version:
                    return self._parse(stored.key, stored.source)
        return self.shipped.get(key)

    def listing(self, clinic_id: int | None) -> list[Listed]:
        listed = {key: Listed(key, p.name, None, len(p.steps)) for key, p in self.shipped.items()}
        for stored in self._versions(clinic_id):
            protocol = self._parse(stored.key, stored.source)
            listed[stored.key] = Listed(
                stored.key, protocol.name, stored.version, len(protocol.steps)
            )
        return sorted(listed.values(), key=lambda item: item.key)

    def upload(self, clinic_id: int, clinician_id: int | None, filename: str, text: str) -> Listed:
        """Check and store an uploaded protocol; ProtocolError (nothing stored) if it is wrong."""
        key = filename.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
        if not KEY.match(key):
            message = (
                "the file name must be lower case words joined by hyphens, like my-protocol.yaml"
            )
            raise ProtocolError([FileProblem(Path(filename), 0, message)])
        protocol = load_protocol_text(text, filename, self._templates, self._instruments)
        versions = [v.version for v in self._versions(clinic_id) if v.key == key]
        version = (max(versions) if versions else 0) + 1
        self._store.clinics.add_protocol_version(
            ProtocolVersion(
                clinic_id=clinic_id,
                key=key,
                version=version,
                source=text,
                uploaded_by=clinician_id,
                uploaded_at=self._clock.now(),
            )
        )
        return Listed(key, protocol.name, version, len(protocol.steps))

    def _versions(self, clinic_id: int | None) -> list[ProtocolVersion]:
        return self._store.clinics.protocol_versions(clinic_id) if clinic_id is not None else []

    def _parse_source(self, key: str, source: str) -> Protocol:
        protocol = load_protocol_text(source, f"{key}.yaml", self._templates, self._instruments)
        return Protocol(protocol.key if protocol.key == key else key, protocol.name,
                        protocol.description, protocol.steps)  # fmt: skip
