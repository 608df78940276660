"""Tools the documentation runs from the repository root (`python -m tools.<name>`); not installed with the kiosk."""
