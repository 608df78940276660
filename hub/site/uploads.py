"""Partners' resource files: the type is read from the bytes (never trusted from the name or the
browser), the size is capped, and the stored name is random so no upload can choose where it lands.

SVG and HTML are refused: they can carry scripts. Files are served as downloads (hub/site/views/resources.py).
"""
from __future__ import annotations

import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, PNG, JPEG = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
OPEN_DOCUMENT = {"application/vnd.oasis.opendocument.text": "odt",
                 "application/vnd.oasis.opendocument.spreadsheet": "ods",
                 "application/vnd.oasis.opendocument.presentation": "odp"}
OFFICE = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
                 "odt": "application/vnd.oasis.opendocument.text",
                 "ods": "application/vnd.oasis.opendocument.spreadsheet",
                 "odp": "application/vnd.oasis.opendocument.presentation",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def sniff_type(upload) -> str | None:
    """'pdf', 'png', 'jpg', 'odt', 'docx'… from the file's own bytes, or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF):
        return "pdf"
    if head.startswith(PNG):
        return "png"
    if head.startswith(JPEG):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    return OPEN_DOCUMENT.get(archive.read("mimetype").decode("ascii", "replace").strip())
                if "[Content_Types].xml" in names:
                    return next((ext for prefix, ext in OFFICE.items() if any(n.startswith(prefix) for n in names)),
                                None)
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            upload.seek(0)
    return None


def validate_resource_file(upload) -> None:
    limit = settings.HUB.max_upload_bytes
    if upload.size > limit:
        raise ValidationError(_("Fichier trop lourd : %(size)s Mo, %(limit)s Mo au plus.")
                              % {"size": round(upload.size / 1e6, 1), "limit": round(limit / 1e6, 1)})
    if sniff_type(upload) is None:
        raise ValidationError(_("Type de fichier refusé : PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG ou JPEG "
                                "seulement (lu dans le fichier lui-même, pas dans son nom)."))


def resource_upload_to(instance, filename: str) -> str:
    """A random name with the extension of the type read from the bytes (Resource.save sets it)."""
    return f"resources/{secrets.token_hex(12)}.{instance.file_type or 'bin'}"
