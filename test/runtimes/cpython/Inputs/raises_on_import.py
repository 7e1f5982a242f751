# A module whose top level fails.
raise RuntimeError("no import today")
