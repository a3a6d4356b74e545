"""Small pieces every view uses: the one "not found" and sending stored files."""

from __future__ import annotations

from django.http import FileResponse, Http404

from stride.web.platform.storage import open_stored

#: The one text of every 404: "missing" and "not yours" read the same.
NOT_FOUND_MESSAGE = "Not found."


def stored_file_response(name: str, *, filename: str, content_type: str,
                         as_attachment: bool = True) -> FileResponse:
    """Send a stored file (:mod:`.storage`) after the caller has checked access and audited.

    Raises
    ------
    Http404
        If the file is not there (or its name would leave the storage root).
    """
    try:
        handle = open_stored(name)
    except FileNotFoundError:
        raise Http404(NOT_FOUND_MESSAGE) from None
    return FileResponse(handle, as_attachment=as_attachment, filename=filename,
                        content_type=content_type)
