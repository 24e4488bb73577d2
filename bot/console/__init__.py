"""The try-it console: the real bot in a terminal, talking to its own local Telegram stand-in."""
