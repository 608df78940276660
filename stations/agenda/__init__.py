"""« Au programme »: the venue's events and the exhibition's tour, each event with its QR code."""
from stations.agenda.station import AgendaStation as Station

__all__ = ["Station"]
