"""Hostile uploads, built in memory by each test (no binary blobs in the repository).

Every builder returns a fresh SimpleUploadedFile with a convincing name and Content-Type:
the checks must look at the bytes, never at either.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.files import MINIMAL_PDF, png_bytes

MB = 1048576


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- disguised types ------------------------------------------------------------------------------
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(2)</script></svg>")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
PHP = b"<?php system($_GET['c']); ?>"

DISGUISED_IMAGES = {
    "html.jpg": lambda: upload("photo.jpg", HTML, "image/jpeg"),
    "svg.png": lambda: upload("logo.png", SVG, "image/png"),
    "svg.svg": lambda: upload("logo.svg", SVG, "image/svg+xml"),
    "exe.gif": lambda: upload("anim.gif", EXE, "image/gif"),
    "php.webp": lambda: upload("x.webp", PHP, "image/webp"),
    "pdf.jpg": lambda: upload("scan.jpg", MINIMAL_PDF, "image/jpeg"),
    "bmp.jpg": lambda: upload("old.jpg", _bmp(), "image/jpeg"),  # a real image, not an allowed type
}
DISGUISED_DOCUMENTS = {
    "html.pdf": lambda: upload("报告.pdf", HTML, "application/pdf"),
    "svg.pdf": lambda: upload("报告.pdf", SVG, "application/pdf"),
    "exe.pdf": lambda: upload("setup.pdf", EXE, "application/pdf"),
    "exe.docx": lambda: upload("台账.docx", EXE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "png.pdf": lambda: upload("scan.pdf", png_bytes(), "application/pdf"),
    "zip.docx": lambda: upload("材料.docx", zip_bytes({"evil.html": HTML, "run.sh": b"rm -rf /"}), "application/zip"),
    "jar.xlsx": lambda: upload("表.xlsx", zip_bytes({"META-INF/MANIFEST.MF": b"Main-Class: X\n", "xl/x.class": b"\xca\xfe"}),
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ole.doc": lambda: upload("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "application/msword"),
}


def _bmp() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "BMP")
    return buf.getvalue()


# --- polyglots: valid files that also carry markup ----------------------------------------------
def jpeg_with_trailing_html() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(buf, "JPEG")
    return upload("poly.jpg", buf.getvalue() + HTML, "image/jpeg")


def gif_with_script_comment() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("P", (16, 16), 1).save(buf, "GIF", comment=b"<script>alert(1)</script>")
    return upload("poly.gif", buf.getvalue(), "image/gif")


def pdf_with_html() -> SimpleUploadedFile:
    """Starts like a PDF and ends like one; a browser sniffing it would find HTML."""
    return upload("poly.pdf", b"%PDF-1.4\n" + HTML + b"\n" + MINIMAL_PDF[9:], "application/pdf")


POLYGLOT_MARKERS = (b"<script", b"<html", b"alert(")


# --- decompression bombs and pixel limits ---------------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> SimpleUploadedFile:
    """A PNG header with huge dimensions and a few bytes of (1-bit) data: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    return upload("bomb.png", data, "image/png")


def gif_claiming(width: int, height: int) -> SimpleUploadedFile:
    """A GIF whose logical screen and only frame claim width × height, with almost no data."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return upload("bomb.gif", header + frame + b"\x3b", "image/gif")


def gif_frames(frames: int, size: tuple[int, int]) -> SimpleUploadedFile:
    """An animation whose frames together exceed the pixel limit, each frame small."""
    images = [Image.new("P", size, i % 2) for i in range(frames)]
    for im in images:
        im.putpalette([0, 0, 0, 255, 255, 255] * 128)
    buf = io.BytesIO()
    images[0].save(buf, "GIF", save_all=True, append_images=images[1:], duration=40, loop=0)
    return upload("many-frames.gif", buf.getvalue(), "image/gif")


def oversized(kind: str, limit: int) -> SimpleUploadedFile:
    """One byte over `limit`, with a real header (the size check must come first and be cheap)."""
    head = png_bytes() if kind == "image" else MINIMAL_PDF
    data = head + b"\x00" * (limit + 1 - len(head) - 6) + b"%%EOF\n"
    assert len(data) == limit + 1
    if kind == "image":
        return upload("huge.png", data, "image/png")
    return upload("huge.pdf", data, "application/pdf")


# --- truncated ------------------------------------------------------------------------------------
def truncated_png() -> SimpleUploadedFile:
    data = png_bytes(size=(300, 200))
    return upload("cut.png", data[: len(data) // 2], "image/png")


def truncated_pdf() -> SimpleUploadedFile:
    return upload("cut.pdf", MINIMAL_PDF[: len(MINIMAL_PDF) // 2], "application/pdf")


def truncated_docx() -> SimpleUploadedFile:
    data = docx_bytes()
    return upload("cut.docx", data[: len(data) // 2], "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- Office packages and zip bombs ------------------------------------------------------------------
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def content_types(main: str = WORD_MAIN, part: str = "/word/document.xml") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{main}"/></Types>'
    ).encode()


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx_bytes(extra: dict[str, bytes] | None = None, main: str = WORD_MAIN) -> bytes:
    return zip_bytes({
        "[Content_Types].xml": content_types(main),
        "word/document.xml": b'<w:document xmlns:w="x"><w:body><w:p><w:t>\xe6\xa1\x88\xe4\xbe\x8b</w:t></w:p></w:body></w:document>',
        **(extra or {}),
    })


def docx(name: str = "台账.docx", **kw) -> SimpleUploadedFile:
    return upload(name, docx_bytes(**kw), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def docm_disguised() -> SimpleUploadedFile:
    """A macro-enabled document renamed .docx."""
    return upload("宏.docx", docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name"}, main=MACRO_MAIN),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def zip_bomb_docx(inflated: int = 64 * MB) -> SimpleUploadedFile:
    """A docx whose one part inflates to `inflated` bytes from a few tens of kilobytes."""
    data = docx_bytes({"word/media/padding.bin": b"\x00" * inflated})
    assert len(data) < inflated // 500
    return upload("炸弹.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def zip_many_entries(n: int = 6000) -> SimpleUploadedFile:
    data = docx_bytes({f"word/x/{i}.xml": b"" for i in range(n)})
    return upload("多.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def zip_traversal() -> SimpleUploadedFile:
    return upload("逃逸.docx", docx_bytes({"../../../../tmp/evil.sh": b"#!/bin/sh\n"}),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- names ----------------------------------------------------------------------------------------------
ODD_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\system32\\x.pdf",
    "/etc/shadow.pdf",
    "C:\\boot.ini.pdf",
    "推荐函（盖章）.pdf",
    "evil\"; filename*=UTF-8''x.exe;.pdf",
    "a'b\";c.pdf",
    "报告\r\nContent-Type: text/html.pdf",
    "申报材料\u202efdp.exe",
    "长" * 300 + ".pdf",
    ".pdf",
    "   .pdf",
]
