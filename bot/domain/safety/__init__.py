"""Safety screening of the free text patients send.

Detection is data, not code: the phrases, patterns, exceptions and spelling table live in
``prompts/safety/rules.yaml``, which clinicians extend. This package is the engine: it
normalises text (:mod:`.normalise`), loads and checks the rules (:mod:`.rules`), screens
messages (:mod:`.screener`) and measures the rules on labelled messages (:mod:`.measure`).
"""

from bot.domain.safety.concerns import Concern, Match
from bot.domain.safety.normalise import normalise
from bot.domain.safety.rules import SafetyRulesError
from bot.domain.safety.screener import Screener

__all__ = ["Concern", "Match", "SafetyRulesError", "Screener", "normalise"]
