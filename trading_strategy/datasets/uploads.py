"""An uploaded CSV file, refused by its size before it is read.

Pages and the API both receive files here. Django streams a multipart body to a temporary
file before a view sees it, so a request that says it is larger than any accepted upload
is refused by its Content-Length first; the file's own size is checked before its bytes
are read into memory.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from .models import MAX_UPLOAD_BYTES, Dataset, Upload, too_large

# Room in the request for the multipart boundaries and the name and pair fields.
FORM_OVERHEAD = 64 * 1024
# Refusals that are not about the rows of the file, and their HTTP status; a file whose
# rows are rejected is a 422.
REFUSAL_STATUS = {"data.too_large": 413, "data.too_many": 409}


def declared_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > MAX_UPLOAD_BYTES + FORM_OVERHEAD


def refused_too_large() -> Upload:
    return Upload(None, [too_large()])


def receive(owner, name: str, trading_pair: str, file: UploadedFile) -> Upload:
    if file.size is None or file.size > MAX_UPLOAD_BYTES:
        return refused_too_large()
    return Dataset.objects.upload(owner, name, trading_pair, file.read())


def refusal_status(upload: Upload) -> int:
    """The HTTP status of a refused upload."""
    return REFUSAL_STATUS.get(upload.diagnostics[0].code, 422)
