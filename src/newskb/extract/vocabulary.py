"""Closed lists that extraction may emit; each value is a term of the ontology (ontology/)."""

from ..resources import read_table

# unit codes of numeric claims -> ontology individuals nkb:unit-<code> (newskb/data/units.tsv)
UNITS = tuple(r["code"] for r in read_table("units.tsv"))

# what numeric claims measure -> ontology concepts nkb:measure-<code> (newskb/data/measures.tsv)
MEASURES = tuple(r["code"] for r in read_table("measures.tsv"))

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
