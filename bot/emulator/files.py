"""Files known to the emulated server: uploads from the bot and from users.

Each stored file gets a ``file_id`` (reusable in later sends, like Telegram's), a stable
``file_unique_id`` and a ``file_path`` that ``GET /file/bot<token>/<file_path>`` serves.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import struct
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

FileKind = Literal["photo", "document"]

_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True)
class StoredFile:
    """One file as the Bot API server keeps it."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: FileKind
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def file_json(self) -> dict[str, Any]:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }

    def media_json(self) -> dict[str, Any] | list[dict[str, Any]]:
        """``Document`` for documents, a one-size ``PhotoSize`` list for photos."""
        base = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.kind == "photo":
            return [{**base, "width": self.width, "height": self.height}]
        document = dict(base)
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document


class FileStore:
    """All files, addressable by ``file_id`` and by ``file_path``."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        data: bytes,
        kind: FileKind,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> StoredFile:
        """Store bytes and mint identifiers for them."""
        self._counter += 1
        number = self._counter
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        suffix = PurePosixPath(file_name).suffix if file_name else ""
        if not _SAFE_SUFFIX.match(suffix) and mime_type:
            suffix = mimetypes.guess_extension(mime_type) or ""
        if not _SAFE_SUFFIX.match(suffix):
            suffix = ".jpg" if kind == "photo" else ""
        folder = "photos" if kind == "photo" else "documents"
        stored = StoredFile(
            file_id=f"EMU{kind[0].upper()}{number}-{secrets.token_hex(8)}",
            file_unique_id=f"EmuU{number}{secrets.token_hex(3)}",
            file_path=f"{folder}/file_{number}{suffix}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def by_id(self, file_id: str) -> StoredFile | None:
        """Look up a file by ``file_id``."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Look up a file by the ``file_path`` getFile returned."""
        return self._by_path.get(file_path)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None if it is not one of those.

    Telegram only accepts real images for sendPhoto; the emulator checks the header the same way.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk JPEG segments until a start-of-frame marker, which holds the dimensions."""
    index = 2
    while index + 9 <= len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        (segment_length,) = struct.unpack(">H", data[index + 2 : index + 4])
        index += 2 + segment_length
    return None
