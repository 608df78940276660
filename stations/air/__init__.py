"""« L'air de la salle »: today's CO2 against the room's occupancy."""
from stations.air.station import AirStation as Station

__all__ = ["Station"]
