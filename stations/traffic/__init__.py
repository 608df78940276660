"""Traffic station "Trafic": phantom jams on a ring road, on-ramps and roadworks."""
from __future__ import annotations


def __getattr__(name: str):
    # The station imports pygame; loading it lazily keeps `import stations.traffic.model` pygame-free.
    if name == "Station":
        from .station import TrafficStation
        return TrafficStation
    raise AttributeError(name)
