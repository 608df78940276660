"""Benchmarks: `make bench` (python -m bench [NAME ...]). They print figures and never fail on time."""
