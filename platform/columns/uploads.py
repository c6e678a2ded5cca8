"""What an uploaded file really is, and whether it may be kept: citizens' attachments and editors' documents.

The name's extension proves nothing. A file is accepted when its content is of a kind the
upload allows (filetype reads the signature; Office's zip formats are told apart by their parts,
OLE ones by olefile), it carries no active content (a PDF with script, launch or embedded-file
actions, found by walking it with pypdf; Office files with macros), it is within the size for
its kind, and, where a ClamAV daemon is configured (UPLOAD_CLAMD), the scanner finds nothing.
Every refusal is an UploadRefused with a sentence for the person who uploaded it.
"""

import io
import socket
import struct
import zipfile
from dataclasses import dataclass

import filetype
import olefile
from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MB = 1024 * 1024


class UploadRefused(Exception):
    """The file is not kept; the message says why, in Chinese."""


@dataclass(frozen=True)
class Kind:
    name: str  # what the person is told it must be
    extensions: tuple
    max_bytes: int


KINDS = {
    "pdf": Kind("PDF 文件", ("pdf",), 20 * MB),
    "image": Kind("JPG 或 PNG 图片", ("jpg", "jpeg", "png"), 10 * MB),
    "word": Kind("Word 文档", ("doc", "docx", "wps"), 20 * MB),
    "sheet": Kind("Excel 表格", ("xls", "xlsx"), 20 * MB),
    "ofd": Kind("OFD 版式文件", ("ofd",), 20 * MB),
    "zip": Kind("ZIP 压缩包", ("zip",), 50 * MB),
    "text": Kind("纯文本文件", ("txt",), 5 * MB),
    "video": Kind("MP4 视频", ("mp4",), 500 * MB),
}
_READ_HEAD_ONLY = {"image", "video"}
_OOXML_PARTS = {"docx": "word/", "xlsx": "xl/"}
_PDF_ACTIVE = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
               "/OpenAction", "/AA", "/SubmitForm", "/ImportData"}


def check(upload, kinds, *, max_bytes=None):
    """Refuse `upload` (a Django UploadedFile or any file object with .name and .size) unless it is one of
    `kinds` (keys of KINDS) by its content, without active content and clean by the scanner. Returns the kind."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = {key: KINDS[key] for key in kinds}
    kind = next((key for key, spec in allowed.items() if extension in spec.extensions), None)
    if kind is None:
        names = "、".join(spec.name for spec in allowed.values())
        raise UploadRefused(f"只接受{names}")
    limit = min(max_bytes or allowed[kind].max_bytes, allowed[kind].max_bytes)
    if upload.size > limit:
        raise UploadRefused(f"{allowed[kind].name}不能超过 {limit // MB} MB")
    upload.seek(0)
    # Structured kinds are read whole (their limits are tens of MB); pictures and video by their head only.
    data = upload.read(8192) if kind in _READ_HEAD_ONLY else upload.read()
    upload.seek(0)
    _same_kind(kind, extension, data)
    _no_active_content(kind, extension, data)
    _scan(upload)
    upload.seek(0)
    return kind


def _same_kind(kind, extension, data):
    guess = filetype.guess(data[:8192])
    found = guess.extension if guess else None
    if kind == "pdf":
        ok = found == "pdf"
    elif kind == "image":
        ok = found in ("jpg", "png")
    elif kind == "video":
        ok = found == "mp4"
    elif kind == "text":
        ok = b"\x00" not in data and _utf8_or_gb(data)
    elif extension in ("doc", "wps", "xls"):
        ok = olefile.isOleFile(data=data)
    elif extension in _OOXML_PARTS:
        ok = _zip_has(data, "[Content_Types].xml", _OOXML_PARTS[extension])
    elif kind == "ofd":
        ok = _zip_has(data, "OFD.xml")
    elif kind == "zip":
        ok = zipfile.is_zipfile(io.BytesIO(data))
    else:
        ok = False
    if not ok:
        raise UploadRefused("文件内容与文件类型不符（文件可能已损坏，或扩展名被改过）")


def _utf8_or_gb(data):
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_names(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return []


def _zip_has(data, *parts):
    """Whether the archive holds each of `parts` (a member, or a folder by its "name/" prefix)."""
    names = _zip_names(data)
    return all(any(name == part or name.startswith(part) for name in names) for part in parts)


def _no_active_content(kind, extension, data):
    if kind == "pdf" and _pdf_is_active(data):
        raise UploadRefused("PDF 文件含有脚本、自动执行或嵌入文件等活动内容，请另存为普通 PDF 后再上传")
    if extension in _OOXML_PARTS and any("vbaproject" in name.lower() or "/activex/" in name.lower()
                                         for name in _zip_names(data)):
        raise UploadRefused("文档含有宏或控件，请另存为不含宏的文档后再上传")
    if extension in ("doc", "wps", "xls") and _ole_has_macros(data):
        raise UploadRefused("文档含有宏，请另存为不含宏的文档后再上传")


def _ole_has_macros(data):
    try:
        with olefile.OleFileIO(data) as ole:
            return any(part.lower() in ("macros", "_vba_project_cur", "vba") for entry in ole.listdir()
                       for part in entry)
    except OSError:
        return True  # an OLE file olefile cannot read is not one to keep


def _pdf_is_active(data):
    """True when anything a reader would act on (script, launch, embedded file, an action on open)
    is reachable from the document's trailer; an unreadable PDF counts as active."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        stack, seen = [reader.trailer], set()
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                if _PDF_ACTIVE & set(item.keys()) or item.get("/S") in ("/JavaScript", "/Launch"):
                    return True
                stack.extend(item.values())
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError):
        return True
    return False


def _scan(upload):
    """ClamAV's verdict (clamd's INSTREAM, the file streamed in chunks), when UPLOAD_CLAMD names its
    socket ("host:port" or a path)."""
    where = settings.UPLOAD_CLAMD
    if not where:
        return
    try:
        if ":" in where and not where.startswith("/"):
            host, port = where.rsplit(":", 1)
            sock = socket.create_connection((host, int(port)), timeout=settings.UPLOAD_CLAMD_TIMEOUT)
        else:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(settings.UPLOAD_CLAMD_TIMEOUT)
            sock.connect(where)
        with sock:
            sock.sendall(b"zINSTREAM\0")
            upload.seek(0)
            while chunk := upload.read(65536):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as exc:
        # Not scanned is not clean: the file waits for a scanner that answers.
        raise UploadRefused("暂时无法完成病毒检查，请稍后再上传") from exc
    verdict = answer.rstrip(b"\0").decode("utf-8", "replace")
    if verdict.endswith("FOUND"):
        raise UploadRefused("文件未通过病毒检查，未能上传")
    if not verdict.endswith("OK"):
        raise UploadRefused("暂时无法完成病毒检查，请稍后再上传")
