"""The rule engine: blueprints, the rules they run, and the plan builder."""
