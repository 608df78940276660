"""The hub: the collaborative website's data service that every kiosk uploads its event log to."""
