"""The local event store: one append-only SQLite log (docs/architecture.md, "Data: one append-only event log")."""
