"""« Mur des questions »: visitors answer the season's questions in words or drawings; a mediator
approves before anything is shown."""
from stations.wall.station import WallStation as Station

__all__ = ["Station"]
