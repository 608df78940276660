"""The hub's ASGI application, for uvicorn's workers (`hub serve`): its configuration comes from the
environment `hub serve` sets (hub/config.py, export_to_environment)."""
from hub.app import build_app

application = build_app()
