from hub.site.models.records import BundleImport, Conflict, Event, Kiosk, StoredFile, Takedown  # noqa: F401
from hub.site.models.season import (AgendaEvent, Departement, NewsPost, Operator, Resource, TourStop,  # noqa: F401
                                    Venue)
