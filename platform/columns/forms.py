"""Admin forms of the content every site shares."""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from .uploads import UploadRefused, check

# The kinds WAGTAILDOCS_EXTENSIONS lets editors upload, by what they must really be.
DOCUMENT_KINDS = ["pdf", "ofd", "word", "sheet", "zip", "text", "video"]


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload), with the file checked by its content."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            try:
                check(upload, DOCUMENT_KINDS)
            except UploadRefused as exc:
                raise ValidationError(str(exc)) from exc
        return upload
