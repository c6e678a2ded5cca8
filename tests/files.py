"""Real files of the kinds people upload, made on the spot: clean ones and ones that must be refused."""

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

# The antivirus test file (eicar.org): every scanner reports it, it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf(javascript=None):
    """A one-page PDF; with `javascript`, one that runs it when opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:  # the document-level script tree a reader runs on opening (PDF 32000, 7.7.4)
        action = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript),
        }))
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("open"), action])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_text(text):
    """A one-page PDF whose page shows `text` (ASCII, in Helvetica), as a scanner's OCR layer or a
    word processor's export would carry it."""
    from pypdf.generic import DecodedStreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=400, height=200)
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
    })
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_with_text(text):
    """A real Word document with one paragraph of `text` (python-docx)."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_with_rows(rows):
    """A real Excel workbook with `rows` (openpyxl)."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_opening_with(action):
    """A PDF whose OpenAction is `action` (e.g. /Launch of a program)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject(action), NameObject("/F"): TextStringObject("cmd.exe"),
    })
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_of(members):
    """A zip archive of {name: text}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx(macros=False):
    """A minimal Word 2007+ document; with `macros`, the VBA project a .docm carries, renamed .docx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 vba")
    return buffer.getvalue()


def jpeg():
    """A small photo, as a phone's scan of an identity card would be."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 25), (200, 180, 160)).save(buffer, "JPEG")
    return buffer.getvalue()
