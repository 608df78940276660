"""Crowd station "Foules": a social-force crowd that visitors reshape with their fingers.

`Station` is imported lazily so that `stations.crowd.model` (and the CLI) never pull in pygame.
"""
from __future__ import annotations


def __getattr__(name: str):
    if name == "Station":
        from .station import CrowdStation

        return CrowdStation
    raise AttributeError(name)
