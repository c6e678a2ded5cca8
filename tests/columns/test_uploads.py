"""Uploads are judged by what they are, not by their names: the checks, the scanner hook, the admin form."""

import io
import socket
import struct
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection

from columns.uploads import UploadRefused, check
from tests import files

DOCUMENTS = ["pdf", "ofd", "word", "sheet", "zip", "text", "video"]


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content"), [
    ("通知.pdf", files.pdf()),
    ("通知.docx", files.docx()),
    ("名单.txt", "成都市锦江区".encode("gb18030")),
    ("附件.zip", files.zip_of({"说明.txt": "见附件"})),
])
def test_ordinary_files_pass(name, content):
    assert check(upload(name, content), DOCUMENTS)


@pytest.mark.parametrize(("name", "content", "refusal"), [
    ("通知.pdf", files.pdf(javascript="app.alert('x')"), "活动内容"),
    ("通知.pdf", files.pdf_opening_with("/Launch"), "活动内容"),
    ("通知.pdf", b"%PDF-1.7\n garbage that is no PDF", "活动内容"),  # unreadable counts as active
    ("通知.docx", files.docx(macros=True), "宏"),
    ("通知.docx", files.zip_of({"payload.exe": "MZ"}), "文件内容与文件类型不符"),
    ("通知.pdf", b"MZ\x90\x00 a program", "文件内容与文件类型不符"),
    ("名单.txt", b"MZ\x90\x00\x00\x00", "文件内容与文件类型不符"),
    ("通知.doc", files.docx(), "文件内容与文件类型不符"),  # a zip is no OLE Word file
    ("setup.exe", b"MZ\x90\x00", "只接受"),
    ("无扩展名", files.pdf(), "只接受"),
])
def test_disguised_and_active_files_are_refused(name, content, refusal):
    with pytest.raises(UploadRefused, match=refusal):
        check(upload(name, content), DOCUMENTS)


def test_each_kind_has_its_own_size_limit():
    with pytest.raises(UploadRefused, match="纯文本文件不能超过 5 MB"):
        check(upload("名单.txt", b"a" * (5 * 1024 * 1024 + 1)), DOCUMENTS)
    with pytest.raises(UploadRefused, match="不能超过 1 MB"):
        check(upload("通知.pdf", files.pdf() + b"\n" * (1024 * 1024)), ["pdf"], max_bytes=1024 * 1024)


class FakeClamd:
    """clamd's INSTREAM protocol on a local port: flags EICAR as ClamAV does, answers OK otherwise."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.scanned = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                stream = self._stream(conn.makefile("rb"))
                self.scanned += 1
                found = files.EICAR in stream
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    @staticmethod
    def _stream(reader):
        """The bytes of one INSTREAM command: chunks of a 4-byte length and its data, ended by length 0."""
        assert reader.read(10) == b"zINSTREAM\0"
        stream = b""
        while length := struct.unpack("!L", reader.read(4))[0]:
            stream += reader.read(length)
        return stream

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings):
    scanner = FakeClamd()
    settings.UPLOAD_CLAMD = scanner.address
    yield scanner
    scanner.close()


def test_the_scanner_is_asked_and_its_verdict_kept(clamd):
    assert check(upload("名单.txt", b"clean text"), DOCUMENTS)
    with pytest.raises(UploadRefused, match="病毒检查"):
        check(upload("名单.txt", files.EICAR), DOCUMENTS)
    assert clamd.scanned == 2


def test_a_scanner_that_does_not_answer_refuses_the_file(settings):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    settings.UPLOAD_CLAMD = f"127.0.0.1:{port}"  # nothing listens there any more
    with pytest.raises(UploadRefused, match="暂时无法完成病毒检查"):
        check(upload("名单.txt", b"clean text"), DOCUMENTS)


def add_document(site, name, content):
    client = site.admin_client()
    with schema_context(site.schema):
        root = Collection.get_first_root_node().pk
    return client.post("/admin/documents/add/", {
        "title": name, "collection": root, "file": SimpleUploadedFile(name, content),
    })


def documents(site):
    with schema_context(site.schema):
        return list(get_document_model().objects.values_list("title", flat=True))


def test_an_editor_cannot_upload_a_pdf_with_script(county):
    response = add_document(county, "带脚本.pdf", files.pdf(javascript="app.alert(1)"))
    assert response.status_code == 200
    assert "活动内容" in response.text
    assert "带脚本.pdf" not in documents(county)


def test_an_editor_uploads_an_ordinary_document(county):
    response = add_document(county, "普通通知.pdf", files.pdf())
    assert response.status_code == 302
    assert "普通通知.pdf" in documents(county)


def test_the_scanner_checks_editors_uploads_too(county, clamd):
    response = add_document(county, "测试.txt", files.EICAR)
    assert "病毒检查" in response.text
    assert "测试.txt" not in documents(county)


class CountingUpload(io.BytesIO):
    """An upload that counts the bytes read from it at once, as a worker's memory would hold them."""

    def __init__(self, name, content):
        super().__init__(content)
        self.name, self.size, self.largest_read = name, len(content), 0

    def read(self, size=-1):
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        return data


def test_a_large_video_is_never_held_in_memory_whole(clamd):
    head = bytes.fromhex("0000001866747970") + b"mp42" + b"\0" * 12  # an MP4's ftyp box
    video = CountingUpload("解读.mp4", head + b"\0" * (20 * 1024 * 1024))
    assert check(video, DOCUMENTS) == "video"
    assert clamd.scanned == 1, "the scanner saw it, streamed"
    assert video.largest_read <= 65536


def test_the_multiple_upload_page_refuses_it_too(county):
    client = county.admin_client()
    with schema_context(county.schema):
        root = Collection.get_first_root_node().pk
    response = client.post("/admin/documents/multiple/add/", {
        "collection": root, "files[]": SimpleUploadedFile("宏.docx", files.docx(macros=True)),
    })
    assert response.json()["success"] is False and "宏" in response.json()["error_message"]
    assert "宏.docx" not in documents(county)
