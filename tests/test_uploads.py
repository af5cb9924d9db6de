"""core/uploads: attachments checked by content, photos re-encoded without EXIF, files stored atomically under random
keys in UPLOAD_DIR and served as private downloads."""
import io
import struct
import zipfile
import zlib

import pillow_heif
import pytest
from openpyxl import Workbook
from PIL import Image
from werkzeug.datastructures import FileStorage

from core import uploads
from core.uploads import UploadRefused, delete_stored, open_stored, send_stored, sniff, store_attachment, store_photo

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GPS = 0x8825


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def upload(data, filename):
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")


def image_bytes(fmt="PNG", size=(40, 30), color="red", exif=None, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def docx_bytes(extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        for name in extra:
            archive.writestr(name, b"x")
    return buffer.getvalue()


def ole2_bytes(*names):
    """A minimal compound file (MS-CFB, 512-byte sectors): sector 0 is the FAT, sector 1 the directory."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 0x1A, 3, 0xFFFE, 9)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *[0xFFFFFFFF] * 108)
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    directory = bytearray(512)
    for i, (name, kind) in enumerate([("Root Entry", 5), *[(n, 2) for n in names]]):
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128:i * 128 + len(encoded)] = encoded
        struct.pack_into("<HB", directory, i * 128 + 64, len(encoded), kind)
    return bytes(header) + fat + bytes(directory)


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def exif_with_gps(orientation=1):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS).update({1: "N", 2: (31.0, 13.0, 30.0), 3: "E", 4: (121.0, 28.0, 10.0)})
    return exif


def jpeg_segments(data):
    """The marker bytes of a JPEG's segments before its image data."""
    markers, i = [], 2
    while i < len(data) and data[i] == 0xFF and data[i + 1] != 0xDA:
        markers.append(data[i + 1])
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return markers


@pytest.mark.parametrize(("data", "kind"), [
    (PDF, "pdf"), (image_bytes("JPEG"), "jpeg"), (image_bytes("PNG"), "png"), (image_bytes("WEBP"), "webp"),
    (xlsx_bytes(), "xlsx"), (docx_bytes(), "docx"), (ole2_bytes("WordDocument", "1Table"), "doc"),
    (ole2_bytes("Workbook"), "xls"),
    (image_bytes("GIF"), None), (b"hello, I am text", None), (b"", None),
    (docx_bytes(["word/vbaProject.bin"]), None),  # macros
    (ole2_bytes("WordDocument", "Macros"), None), (ole2_bytes("PowerPoint Document"), None),
    (ole2_bytes("EncryptedPackage"), None), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, None),
    (b"PK\x03\x04 not really a zip", None),
])
def test_sniff_tells_kinds_by_content(data, kind):
    assert sniff(data) == kind


def test_a_plain_zip_is_not_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hi")
    assert sniff(buffer.getvalue()) is None


def test_sniff_knows_heic():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, "HEIF")
    assert sniff(buffer.getvalue()) == "heic"
    assert sniff(b"\0\0\0\x1cftypavif\0\0\0\0mif1avifmiaf") is None


@pytest.mark.parametrize(("data", "name", "kind"), [
    (PDF, "方案.pdf", "pdf"), (xlsx_bytes(), "预算表.xlsx", "xlsx"), (docx_bytes(), "计划书.docx", "docx"),
    (image_bytes("PNG"), "现场", "png"),  # no extension: the content decides, the download gets .png
    (image_bytes("PNG"), "微信图片.jpg", "png"), (xlsx_bytes(), "old.xls", "xlsx"),  # slips, not disguises
])
def test_attachment_is_stored_under_a_random_key(tmp_path, data, name, kind):
    stored = store_attachment(upload(data, name), max_bytes=1024 * 1024, directory=tmp_path)
    assert stored.kind == kind and stored.size == len(data)
    assert stored.original_name.endswith("." + uploads.EXTENSIONS[kind])
    path = open_stored(stored.key, tmp_path)
    assert path == tmp_path / stored.key[:2] / stored.key and path.read_bytes() == data
    assert path.stat().st_mode & 0o777 == 0o640
    assert stored_files(tmp_path) == [f"{stored.key[:2]}/{stored.key}"]  # no temporary file left beside it


@pytest.mark.parametrize(("data", "name", "message"), [
    (image_bytes("PNG"), "方案.pdf", "文件已损坏或不是它声称的类型"),
    (b"just some text", "photo.jpg", "文件已损坏或不是它声称的类型"),
    (xlsx_bytes(), "report.docx", "文件已损坏或不是它声称的类型"),
    (b"just some text", "notes.txt", "文件类型不支持：只接受 PDF、Word、Excel 和图片"),
    (image_bytes("GIF"), "anim.gif", "文件类型不支持：只接受 PDF、Word、Excel 和图片"),
    (b"\xff\xd8\xff\xe0 broken", "photo.jpg", "文件已损坏或不是它声称的类型"),
])
def test_attachment_refused_by_content(tmp_path, data, name, message):
    with pytest.raises(UploadRefused) as refused:
        store_attachment(upload(data, name), max_bytes=1024 * 1024, directory=tmp_path)
    assert str(refused.value) == message
    assert stored_files(tmp_path) == []


def test_attachment_kinds_can_be_narrowed(tmp_path):
    with pytest.raises(UploadRefused):
        store_attachment(upload(image_bytes("PNG"), "a.png"), {"pdf"}, 1024 * 1024, tmp_path)


class Endless(io.RawIOBase):
    """A stream as long as you like that fails once read past ``allowed`` bytes."""

    def __init__(self, allowed):
        self.allowed, self.given = allowed, 0

    def readable(self):
        return True

    def read(self, size=-1):
        if size < 0 or self.given + size > self.allowed:
            raise AssertionError(f"read past the limit ({self.given} + {size})")
        self.given += size
        return b"%" * size


def test_oversized_file_is_refused_without_reading_it_all(tmp_path):
    stream = Endless(allowed=2 * 1024 * 1024 + 1)
    with pytest.raises(UploadRefused) as refused:
        store_attachment(FileStorage(stream, filename="big.pdf"), max_bytes=2 * 1024 * 1024, directory=tmp_path)
    assert str(refused.value) == "文件太大了（最大 2 MB）"
    with pytest.raises(UploadRefused):
        store_photo(FileStorage(Endless(1025), filename="big.jpg"), max_bytes=1024, directory=tmp_path)
    assert stored_files(tmp_path) == []


def test_photo_loses_its_exif_and_location(tmp_path):
    original = image_bytes("JPEG", size=(400, 300), exif=exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test photo does carry a location
    stored = store_photo(upload(original, "IMG_0001.JPG"), max_bytes=1024 * 1024, directory=tmp_path)
    data = open_stored(stored.key, tmp_path).read_bytes()
    assert stored.kind == "jpeg" and stored.original_name == "IMG_0001.jpg"
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (400, 300)
    assert not image.getexif() and "exif" not in image.info
    assert 0xE1 not in jpeg_segments(data)  # no APP1 segment at all (EXIF and XMP live there)
    assert b"PhoneMaker" not in data


def test_photo_is_turned_upright_and_made_smaller(tmp_path):
    # Orientation 6: the camera held upright stored the picture lying on its side.
    original = image_bytes("JPEG", size=(4000, 3000), exif=exif_with_gps(orientation=6))
    stored = store_photo(upload(original, "p.jpg"), max_bytes=4 * 1024 * 1024, directory=tmp_path)
    image = Image.open(io.BytesIO(open_stored(stored.key, tmp_path).read_bytes()))
    assert image.size == (1200, 1600) and not image.getexif()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_photo_formats_become_jpeg(tmp_path, fmt):
    original = image_bytes(fmt, size=(2400, 1000), color=(10, 200, 30, 128) if fmt == "PNG" else "green",
                           mode="RGBA" if fmt == "PNG" else "RGB")
    stored = store_photo(upload(original, f"x.{fmt.lower()}"), max_bytes=4 * 1024 * 1024, directory=tmp_path)
    image = Image.open(io.BytesIO(open_stored(stored.key, tmp_path).read_bytes()))
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (1600, 667)
    assert stored.original_name == "x.jpg"


def png_declaring(width, height):
    """A 1×1 PNG whose header claims ``width`` × ``height``: a few dozen bytes."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize("size", [(30000, 30000), (8000, 8000)])  # beyond Pillow's own limit, and beyond ours
def test_decompression_bomb_is_refused_before_decoding(tmp_path, size):
    bomb = png_declaring(*size)
    assert len(bomb) < 100
    with pytest.raises(UploadRefused) as refused:
        store_photo(upload(bomb, "bomb.png"), max_bytes=1024 * 1024, directory=tmp_path)
    assert str(refused.value) == "图片尺寸太大了（最多 5000 万像素）"
    with pytest.raises(UploadRefused):
        store_attachment(upload(bomb, "bomb.png"), max_bytes=1024 * 1024, directory=tmp_path)
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(("data", "name"), [
    (b"hello, I am text", "photo.jpg"), (PDF, "photo.jpg"), (image_bytes("GIF"), "a.gif"),
    (image_bytes("JPEG")[:40], "cut.jpg"),
])
def test_what_is_not_a_photo_is_refused(tmp_path, data, name):
    with pytest.raises(UploadRefused):
        store_photo(upload(data, name), max_bytes=1024 * 1024, directory=tmp_path)
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("key", ["../../etc/passwd", "..", "", "a" * 31, "a" * 31 + "/", "a" * 31 + ".", None])
def test_keys_that_are_not_keys_are_refused(tmp_path, key):
    with pytest.raises(ValueError):
        open_stored(key, tmp_path)
    with pytest.raises(ValueError):
        delete_stored(key, tmp_path)


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(uploads.os, "replace", fail)
    with pytest.raises(OSError):
        store_attachment(upload(PDF, "a.pdf"), max_bytes=1024, directory=tmp_path)
    assert stored_files(tmp_path) == []


def test_stored_under_upload_dir_and_served_as_a_private_download(app, tmp_path):
    with app.test_request_context():
        stored = store_attachment(upload(PDF, "../../创业 方案\n终稿.PDF"))
        assert (tmp_path / "uploads" / stored.key[:2] / stored.key).is_file()
        assert stored.original_name == "创业 方案 终稿.pdf"
        response = send_stored(stored)
        response.direct_passthrough = False
        assert response.get_data() == PDF and response.mimetype == "application/pdf"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"
        response.close()
        delete_stored(stored.key)
        assert stored_files(tmp_path / "uploads") == []
        with pytest.raises(Exception) as missing:
            send_stored(stored)
        assert getattr(missing.value, "code", None) == 404


def test_size_limits_come_from_the_configuration(app):
    app.config["PHOTO_MAX_BYTES"] = 100
    with app.app_context(), pytest.raises(UploadRefused):
        store_photo(upload(image_bytes("JPEG", size=(200, 200)), "p.jpg"))
    assert app.config["UPLOAD_MAX_BYTES"] == 10 * 1024 * 1024


def test_heic_support_is_installed():
    assert uploads.HEIC and "heic" in uploads.PHOTO_KINDS and pillow_heif


def test_the_size_limit_reads_the_same_in_the_hint_and_the_refusal(app):
    from core.uploads import megabytes

    sizes = (1024 * 1024, 1536 * 1024, 256 * 1024, 10 * 1024 * 1024)
    assert [megabytes(n) for n in sizes] == ["1", "1.5", "0.25", "10"]
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ n | megabytes }}").render(n=1536 * 1024)
    assert rendered == "1.5"
