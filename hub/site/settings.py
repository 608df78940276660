"""The one settings file of the hub: the website (Django) and the ingest API share it and its database.

Everything comes from hub.toml (hub/config.py), found through the environment that `hub serve` sets
(QSEC_HUB_CONFIG, QSEC_HUB_DATA_DIR, QSEC_HUB_DB, QSEC_HUB_DATABASE), so that every worker process
of a deployment reads the same file.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from hub.config import HubConfig, config_from_environment

HUB: HubConfig = config_from_environment()
SITE_DIR = Path(__file__).resolve().parent


def _secret_key(path: Path) -> str:
    """Sessions and CSRF tokens are signed with it: made once, kept beside the data, readable by the hub only."""
    if os.environ.get("QSEC_HUB_SECRET_KEY"):
        return os.environ["QSEC_HUB_SECRET_KEY"]
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        return key


def _database(config: HubConfig) -> dict:
    if not config.database:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(config.db_path),
            # WAL: pages read while a batch is written; synchronous=FULL: once the hub says `created`
            # the kiosk never sends that event again, so an answered commit must survive a power cut.
            # IMMEDIATE: a writing transaction takes the write lock at BEGIN (no upgrade deadlock).
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
                        "transaction_mode": "IMMEDIATE", "timeout": 10},
            # tests: a file beside it, not shared memory, so that the ingest's threads see the same data
            "TEST": {"NAME": str(config.db_path.with_name("test-" + config.db_path.name))},
        }
    url = urlsplit(config.database)
    options = dict(parse_qsl(url.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(url.path.lstrip("/")),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": unquote(url.hostname or ""),
        "PORT": str(url.port or ""),
        "OPTIONS": options,
        "CONN_HEALTH_CHECKS": True,
    }


HUB.db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
if not HUB.database:   # visitors' texts and drawings awaiting moderation: readable by the hub's user only
    with contextlib.suppress(FileExistsError):   # SQLite gives its -wal and -shm files the same mode
        os.close(os.open(HUB.db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
SECRET_KEY = _secret_key(HUB.secret_key_file)
DEBUG = False
ALLOWED_HOSTS = ["*"]              # the TLS proxy in front decides which names reach the hub
DATABASES = {"default": _database(HUB)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "hub.site.apps.SiteConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "hub.site.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",   # ETag on every page: revalidation costs a 304
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "hub.site.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "hub.site.views.common.site_context",
    ]},
}]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/gestion/login/"

# French first, English beside it: French pages at /, English ones under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = HUB.timezone or "Europe/Paris"

STATIC_URL = "/static/"
MEDIA_ROOT = str(HUB.uploads_dir)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind the TLS proxy: it says https in X-Forwarded-Proto; cookies then travel over TLS only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HUB.public_url.startswith("https://")
CSRF_TRUSTED_ORIGINS = [HUB.public_url.rstrip("/")]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"}},
}
