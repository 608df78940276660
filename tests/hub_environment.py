"""Loaded first (`-p tests.hub_environment` in pyproject.toml), before pytest-django reads the settings.

The hub's website (Django): its settings read hub.toml from the environment. Tests get a throw-away
data folder (secret key, SQLite test database); QSEC_HUB_DATABASE set to a postgresql:// address runs
the hub's tests on PostgreSQL instead (`make test-postgres`)."""
import os
import tempfile

os.environ.setdefault("QSEC_HUB_DATA_DIR", tempfile.mkdtemp(prefix="qsec-hub-tests-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.site.settings")
