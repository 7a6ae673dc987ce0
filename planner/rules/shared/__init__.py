"""Rules and helpers every kind shares: auth guards, paging, tables, routes."""
