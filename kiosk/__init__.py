"""qsec-kiosk: the runtime that turns a touch screen into a QSEC² exhibition kiosk."""
__version__ = "0.1.0"
