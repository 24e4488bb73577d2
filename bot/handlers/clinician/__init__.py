"""Clinician commands: thin handlers over the clinic domain, each checking who is asking."""
