"""One way to keep files: Django's storage API over ``MEDIA_ROOT``, random names in folders.

Every stored file (a family's document or video, a letter's PDF, an operating-room report)
is addressed by its *stored name*, relative to the storage root: ``letters/<32 hex>.pdf``,
``ionm/reports/<32 hex>.pdf``, or a bare ``<32 hex>.<ext>`` for uploads. Names are random
and say nothing about the child. Files are read only through :func:`open_stored`, whose
storage refuses any name that would leave the root (``SuspiciousFileOperation``), and are
served only by views that have checked access and audited the read. ``MEDIA_ROOT`` lies
outside the web root.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def new_name(folder: str, extension: str) -> str:
    """A fresh random stored name in ``folder`` (``""`` for the root) with ``extension``
    (``".pdf"``)."""
    name = f"{secrets.token_hex(16)}{extension}"
    return f"{folder}/{name}" if folder else name


def save_bytes(folder: str, extension: str, content: bytes) -> str:
    """Store ``content`` under a new random name in ``folder``; return the stored name."""
    return str(default_storage.save(new_name(folder, extension), ContentFile(content)))


def open_stored(name: str) -> File:  # type: ignore[type-arg]
    """Open a stored file for reading.

    Raises
    ------
    FileNotFoundError
        If there is no such file, or the name would leave the storage root (a name never
        made by :func:`new_name`): both are answered as "not found".
    """
    try:
        if not name or not default_storage.exists(name):
            raise FileNotFoundError(name)
        return default_storage.open(name, "rb")
    except SuspiciousFileOperation:
        raise FileNotFoundError(name) from None


def delete_stored(name: str) -> None:
    """Remove a stored file if it is there (undoing a write whose transaction failed)."""
    try:
        default_storage.delete(name)
    except SuspiciousFileOperation:
        return
