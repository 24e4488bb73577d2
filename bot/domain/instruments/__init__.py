"""Questionnaires as data: the PHQ-9, PHQ-8, GAD-7, PGIC and a monthly safety check."""

from bot.domain.instruments.loader import InstrumentError, load_instruments
from bot.domain.instruments.model import Band, Instrument, Option, Score, score

__all__ = ["Band", "Instrument", "InstrumentError", "Option", "Score", "load_instruments", "score"]
