"""Rules of the auth kind: one module per scheme, and what they share."""
