"""Serving stored files: only through an access check, always audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from stride.web.lib.access import NOT_FOUND_MESSAGE, access_document_by_id
from stride.web.lib.uploads import stored_path


@login_required
def download(request: HttpRequest, document_id: int) -> FileResponse:
    """Send a document to a guardian of the child or a member of the care team.

    Always as an attachment with the detected type: the browser never runs a file sent by
    someone else as a page of this site.
    """
    document = access_document_by_id(request.user, document_id)
    try:
        path = stored_path(document.stored_name)
    except FileNotFoundError:
        raise Http404(NOT_FOUND_MESSAGE) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)
