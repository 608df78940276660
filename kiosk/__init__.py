"""qsec-kiosk: the runtime that turns a touch screen into a QSEC² exhibition kiosk."""
__version__ = "0.1.0"
# The day this version was made, moved with __version__: a wall clock reading earlier is wrong
# (kiosk/store/wall_clock.py).
RELEASE_DATE = "2026-12-07"
