"""Serving stored files: only through an access check, always audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from stride.web.documents.access import access_document_by_id
from stride.web.platform.http import stored_file_response


@login_required
def download(request: HttpRequest, document_id: int) -> FileResponse:
    """Send a document to a guardian of the child or a member of the care team.

    Always as an attachment with the detected type: the browser never runs a file sent by
    someone else as a page of this site.
    """
    document = access_document_by_id(request.user, document_id)
    return stored_file_response(document.stored_name, filename=document.original_name,
                                content_type=document.content_type)
