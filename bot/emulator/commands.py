"""Bot command lists per (scope, language), and the menu a given user would see.

Telegram stores a separate list for every scope + language_code pair and resolves the menu
for a user by trying the most specific pair first; tests need both the raw store (what did the
bot set for this clinician's chat?) and the resolution (what does this patient see?).
"""

from __future__ import annotations

from typing import Any

ScopeKey = tuple[Any, ...]
DEFAULT_SCOPE: ScopeKey = ("default",)


def scope_key(scope_type: str, chat_id: int | None = None, user_id: int | None = None) -> ScopeKey:
    """Hashable identity of a validated BotCommandScope."""
    return tuple(part for part in (scope_type, chat_id, user_id) if part is not None)


class CommandStore:
    """``setMyCommands`` results keyed by scope and language code ("" = all languages)."""

    def __init__(self) -> None:
        self._lists: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}

    def set(self, scope: ScopeKey, language_code: str, commands: list[dict[str, str]]) -> None:
        """Replace the list for that scope and language (an empty list deletes it)."""
        if commands:
            self._lists[(scope, language_code)] = [dict(c) for c in commands]
        else:
            self._lists.pop((scope, language_code), None)

    def get(self, scope: ScopeKey, language_code: str) -> list[dict[str, str]]:
        """Exactly what was set for that pair (no fallback), or []."""
        return [dict(c) for c in self._lists.get((scope, language_code), [])]

    def menu_for(self, chat_id: int, language_code: str | None) -> list[dict[str, str]]:
        """The commands a user sees in their private chat, by Telegram's resolution order."""
        languages = [language_code, ""] if language_code else [""]
        for scope in (("chat", chat_id), ("all_private_chats",), DEFAULT_SCOPE):
            for language in languages:
                if (scope, language) in self._lists:
                    return self.get(scope, language)
        return []
