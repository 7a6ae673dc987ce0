"""The hostile-input campaign, kept as tests (docs/security.md)."""
