"""Files sent by nginx once the app has decided: media (tenants.views.serve_media) and Wagtail's documents.

With MEDIA_ACCEL_REDIRECT_PREFIX set (production), the response carries only
`X-Accel-Redirect: <prefix><path under MEDIA_ROOT>` and nginx sends the bytes from its
internal location; without it (development, tests) the file is streamed by Django. The
path is percent-encoded: a header value must be ASCII (Django would MIME-encode 公告.pdf,
which names no file), and nginx decodes it before it looks the file up.

Wagtail's document view uses this module as its SENDFILE_BACKEND, after its own checks
(collection privacy, the attachment disposition, nosniff and its sandboxing CSP).
"""

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from wagtail.utils import sendfile_streaming_backend


def accel_response(path, mimetype=None):
    """An empty response that tells nginx to send `path` (a file under MEDIA_ROOT)."""
    relative = Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    response = HttpResponse()
    response["X-Accel-Redirect"] = quote(settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + relative.as_posix())
    response["Content-Type"] = mimetype or mimetypes.guess_type(relative.name)[0] or "application/octet-stream"
    return response


def sendfile(request, filename, **kwargs):
    """wagtail.utils.sendfile's backend: nginx in production, Django's streaming elsewhere."""
    if settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        return accel_response(filename, kwargs.get("mimetype"))
    return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
