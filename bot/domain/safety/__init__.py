"""Safety screening of the free text patients send.

Detection is data, not code: the phrases, patterns, exceptions and spelling table live in
``prompts/safety/rules.yaml``, which clinicians extend, and the weights of a second, less
literal screen in ``prompts/safety/model.json``, trained from the labelled development set.
This package is the engine: it normalises text (:mod:`.normalise`), loads and checks the rules
(:mod:`.rules`) and the model (:mod:`.model`, over the features of :mod:`.features`), screens
messages with both (:mod:`.screener`), measures them on labelled messages (:mod:`.measure`) and
retrains the model (:mod:`.training`, which alone needs scikit-learn).
"""

from bot.domain.safety.concerns import Concern, Match
from bot.domain.safety.normalise import normalise
from bot.domain.safety.rules import SafetyRulesError
from bot.domain.safety.screener import Screener

__all__ = ["Concern", "Match", "SafetyRulesError", "Screener", "normalise"]
