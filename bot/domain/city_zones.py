"""Names people type for their time zone that are not IANA city names.

IANA names one city per zone, so "Boston" or "Munich" are not in it. This table covers large
cities of the countries we serve first; anything else can be typed as the nearest zone city.
"""

from __future__ import annotations

CITY_ALIASES: dict[str, str] = {
    # United States
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "philadelphia": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "baltimore": "America/New_York",
    "pittsburgh": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "san antonio": "America/Chicago",
    "minneapolis": "America/Chicago",
    "new orleans": "America/Chicago",
    "nashville": "America/Chicago",
    "salt lake city": "America/Denver",
    "albuquerque": "America/Denver",
    "san francisco": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "sacramento": "America/Los_Angeles",
    "san jose": "America/Los_Angeles",
    "honolulu": "Pacific/Honolulu",
    # Canada
    "ottawa": "America/Toronto",
    "montreal": "America/Toronto",
    "calgary": "America/Edmonton",
    # United Kingdom and Ireland
    "manchester": "Europe/London",
    "birmingham": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "cardiff": "Europe/London",
    "leeds": "Europe/London",
    "liverpool": "Europe/London",
    "cork": "Europe/Dublin",
    # Europe
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    # Australia and New Zealand
    "canberra": "Australia/Sydney",
    "wellington": "Pacific/Auckland",
    # Asia
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
}

# Abbreviations name a region's time, daylight saving included, not a fixed offset.
ABBREVIATIONS: dict[str, str] = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "hst": "Pacific/Honolulu",
    "bst": "Europe/London",
    "uk": "Europe/London",
    "ireland": "Europe/Dublin",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "ist": "Asia/Kolkata",
}
