"""Portal forms: ask for a sign-in link, send a document.

The family's message form is coordination's (``FamilyMessageForm``): the conversation
is that app's, and so is the page that takes the message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.web.documents.models import DocumentKind
from stride.web.platform.uploads import (
    StagedFile,
    UploadKind,
    UploadRefused,
    stage,
    too_large_message,
)


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, error_messages={
        "required": _("Enter the e-mail address you gave in your inquiry."),
        "invalid": _("Enter a complete e-mail address, for example name@example.com."),
    })


_UPLOAD_KINDS = {
    DocumentKind.MRI_REPORT.value: UploadKind.DOCUMENT,
    DocumentKind.MEDICAL_RECORD.value: UploadKind.DOCUMENT,
    DocumentKind.WALKING_VIDEO.value: UploadKind.VIDEO,
}


class DocumentForm(forms.Form):
    """One file; the field is named ``upload_document`` or ``upload_video`` by kind."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=[
        (DocumentKind.MRI_REPORT.value, _("MRI report or image")),
        (DocumentKind.MEDICAL_RECORD.value, _("Other medical record")),
        (DocumentKind.WALKING_VIDEO.value, _("Video of your child moving")),
    ], error_messages={"required": _("Choose what the file is.")})
    upload_document = forms.FileField(label=_("Document (PDF, JPEG or PNG)"), required=False)
    upload_video = forms.FileField(label=_("Video (MP4, MOV or WebM)"), required=False)

    def __init__(self, *args: Any, oversized: dict[str, UploadKind] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = oversized or {}
        self.staged: StagedFile | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind_code = data.get("kind")
        if kind_code is None:
            return data
        upload_kind = _UPLOAD_KINDS[kind_code]
        name = "upload_video" if upload_kind is UploadKind.VIDEO else "upload_document"
        if name in self.oversized:
            self.add_error(name, too_large_message(upload_kind))
            return data
        upload = data.get(name)
        if upload is None:
            self.add_error(name, _("Choose the file to send."))
            return data
        try:
            self.staged = stage(upload, kind=upload_kind)
        except UploadRefused as refused:
            self.add_error(name, refused.message)
        return data
