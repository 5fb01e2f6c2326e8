"""The verification gate: scope, tests, paired timing and the critic that keeps or rejects a candidate."""
