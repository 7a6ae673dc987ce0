"""Rules of the endpoint kind: one path operation, its options and router."""
