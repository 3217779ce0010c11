"""Closed lists that extraction may emit; each value is a term of the ontology (ontology/)."""

# unit codes of numeric claims -> ontology individuals nkb:unit-<code>
UNITS = ("count", "km", "mi", "m", "kg", "t", "USD", "EUR", "GBP", "UAH", "RUB", "percent",
         "hour", "day", "week", "month", "year")

# event types -> ontology classes nkb:<Type> (docs/events.md gives the ACLED / CAMEO alignment)
EVENT_TYPES = (
    "Deployment", "Capture", "Advance", "Withdrawal", "Incursion", "Attack", "Shelling",
    "DroneStrike", "MissileStrike", "Airstrike", "Bombing", "Ambush", "ArmsTransfer",
    "MilitaryTraining", "Meeting", "PeaceTalks", "Agreement", "PrisonerExchange",
    "CasualtyReport", "SanctionsEvasion", "Sanctions", "Trial", "Protest", "Evacuation",
    "Mobilisation", "Decree", "AidDecision", "Ultimatum", "Threat", "Appointment", "Dismissal",
    "Election", "AgreementBreakdown", "Arrest", "Abduction", "Release", "Coup",
)

# qualifiers of numeric claims (facts.Qualifier)
QUALIFIERS = ("exactly", "approximately", "more-than", "at-least", "up-to", "less-than", "nearly", "within")
