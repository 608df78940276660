"""The local event store: one append-only SQLite log (GUIDE.md §4)."""
