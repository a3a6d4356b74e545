"""De-identified exports for analysts: the data dictionary page and the file downloads.

Only analysts may open these pages; anyone else gets the same 404 as for a page that does
not exist, and the attempt is audited. Every export is an audit event naming the table,
the format and the number of rows (never a patient: the files are de-identified).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stride.core.errors import InvalidValue
from stride.core.registry.deidentify import DICTIONARY
from stride.web.access import access_registry
from stride.web.platform.audit.models import Action, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.registry.export_files import CONTENT_TYPES, ExportFormat, write
from stride.web.registry.export_selectors import export_columns

_EXPORT = "registry-export"


@login_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    """The exports page: each table's data dictionary and its CSV and Parquet downloads."""
    access_registry(request.user, object_type="registry-exports")
    return render(request, "registry/exports.html", {
        "tables": list(DICTIONARY.values()),
        "formats": list(ExportFormat),
    })


@login_required
@require_GET
def export_file(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    """Download one table as CSV or Parquet; an audit event records table, format and rows."""
    name = f"{table}.{file_format}"[:60]
    user = access_registry(request.user, action=Action.EXPORT, object_type=_EXPORT,
                           object_id=name, audit_granted=False)
    if table not in DICTIONARY or file_format not in ExportFormat._value2member_map_:
        record(actor=user, action=Action.EXPORT, object_type=_EXPORT, object_id=name,
               outcome=Outcome.NOT_FOUND)
        raise Http404(NOT_FOUND_MESSAGE)
    try:
        columns, rows = export_columns(table)
    except InvalidValue as error:
        # Stored data the dictionary refuses: nothing leaves; the analyst is told which column.
        record(actor=user, action=Action.EXPORT, object_type=_EXPORT,
               object_id=f"{name} refused: {error.field}", outcome=Outcome.DENIED)
        messages.error(request, _(
            "The %(table)s export was refused: column %(column)s holds values outside the "
            "data dictionary, so nothing was exported. Ask an administrator to correct the "
            "stored records.") % {"table": table, "column": error.field})
        return redirect(reverse("registry:exports"))
    chosen = ExportFormat(file_format)
    body = write(DICTIONARY[table], columns, chosen)
    record(actor=user, action=Action.EXPORT, object_type=_EXPORT, object_id=f"{name} rows={rows}")
    response = HttpResponse(body, content_type=CONTENT_TYPES[chosen])
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="stride-registry-{table}-{stamp}.{chosen.value}"')
    return response
