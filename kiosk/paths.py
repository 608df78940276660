"""Where the project's own files live (media, config, content), wherever it is run from."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MEDIA_DIR = PROJECT_ROOT / "media"
CONFIG_DIR = PROJECT_ROOT / "config"
CONTENT_DIR = CONFIG_DIR / "content"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
LOCALE_DIR = MEDIA_DIR / "locale"
FONT_DIR = MEDIA_DIR / "fonts"
ICON_DIR = MEDIA_DIR / "icons"


def user_data_dir() -> Path:
    """The per-user data directory (XDG on Linux), used when the config names none."""
    base = os.environ.get("XDG_DATA_HOME")
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / "qsec-kiosk"
