"""Rules of the pagination kind: page an existing list endpoint."""
