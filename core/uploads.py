"""Uploaded files (the contest's attachments, the reports' photos): checked by content, stored under random names in
``UPLOAD_DIR`` (outside static/, shared by every server), served only through ``send_stored`` by a view that has
checked who may see the owner.

Attachments are kept as sent once their content is known to be PDF, Word, Excel or an image. Photos are decoded,
turned upright and re-encoded as a JPEG of at most 1600 px with no EXIF: a phone's photo carries where it was taken.
"""
import dataclasses
import hashlib
import io
import logging
import os
import re
import secrets
import struct
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps

from core.errors import ValidationError
from core.validators import BREAKS_RE, HIDDEN_RE

try:  # iPhones send HEIC; without pillow-heif such photos are refused as an unknown type
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover
    HEIC = False

log = logging.getLogger(__name__)

MB = 1024 * 1024


def megabytes(size):
    """``size`` in bytes as megabytes the way people write them: 1, 1.5, 0.25."""
    return format(size / MB, "g")


#: What a random key looks like (secrets.token_urlsafe(24)): nothing else names a stored file, so no path escapes.
KEY_RE = re.compile(r"\A[A-Za-z0-9_-]{32}\Z")
#: Decoding more pixels than this is refused before any is decoded: a 48-megapixel phone photo passes, a small file
#: declaring a huge image (a decompression bomb) does not. Pillow's own check (89 M pixels) stands behind it.
MAX_PIXELS = 50_000_000

IMAGE_KINDS = frozenset({"jpeg", "png", "webp", "heic"})
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "doc", "xls"}) | IMAGE_KINDS
PHOTO_KINDS = IMAGE_KINDS if HEIC else IMAGE_KINDS - {"heic"}
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
}
#: The extension a download gets for each kind, and the extensions a sent name may have for it.
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "doc": "doc", "xls": "xls", "jpeg": "jpg", "png": "png",
              "webp": "webp", "heic": "heic"}
CLAIMS = {**{ext: kind for kind, ext in EXTENSIONS.items()}, "jpeg": "jpeg", "jpe": "jpeg", "heif": "heic"}
#: Kinds that one program opens: a name claiming one of them for another is a slip, not a disguise.
FAMILIES = {"pdf": "pdf", "docx": "word", "doc": "word", "xlsx": "excel", "xls": "excel",
            **{kind: "image" for kind in IMAGE_KINDS}}
#: Pillow's names for the formats a photo may be in: Image.open tries no other decoder.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}


class UploadRefused(ValidationError):
    """An uploaded file was refused; the message (Chinese) says why, beside ``field`` when a form names one."""

    def __init__(self, message, field=""):
        super().__init__({field: message})
        self.message = message


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """A stored upload: what its owner's row keeps."""

    key: str  #: random and url-safe; the file is UPLOAD_DIR/key[:2]/key
    kind: str  #: pdf, docx, xlsx, doc, xls, jpeg, png, webp or heic (photos are always jpeg)
    size: int
    original_name: str  #: cleaned, with the kind's extension: only for the download's filename
    sha256: str


def sniff(data):
    """The kind of file ``data`` holds, from its bytes alone, or None.

    Images and PDF are told by their first bytes; Word and Excel need the whole file (a ZIP's directory is at its
    end, an OLE2 file's wherever its header says).
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and is_heic(data):
        return "heic"
    if data.startswith(b"PK\x03\x04"):
        return office_open_xml_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return ole2_kind(data)
    return None


def is_heic(data):
    """An ISO media file whose brands say HEVC-coded HEIF (an AVIF also starts ftyp mif1: it is not one)."""
    box_size = int.from_bytes(data[:4], "big")
    major = data[8:12]
    compatible = {data[i:i + 4] for i in range(16, min(box_size, len(data), 256) - 3, 4)}
    if major in HEIC_BRANDS:
        return True
    return major in (b"mif1", b"msf1") and bool(compatible & HEIC_BRANDS)


def office_open_xml_kind(data):
    """docx or xlsx for a Word or Excel file (a ZIP), None for any other ZIP and for those with macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as types:
                content_types = types.read(256 * 1024)  # a few KB in a real file; never unpack a bomb
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, KeyError):
        return None
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    is_word, is_excel = "word/document.xml" in names, "xl/workbook.xml" in names
    if is_word == is_excel:
        return None
    return "docx" if is_word else "xlsx"


def ole2_kind(data):
    """doc or xls for a legacy Word or Excel file, told by its streams' names; None for anything else (PowerPoint,
    Outlook, encrypted files) and for files with macros."""
    names = ole2_names(data)
    if names is None or names & {"Macros", "_VBA_PROJECT_CUR", "VBA", "EncryptedPackage"}:
        return None
    is_word, is_excel = "WordDocument" in names, bool(names & {"Workbook", "Book"})
    if is_word == is_excel:
        return None
    return "doc" if is_word else "xls"


def ole2_names(data):
    """The names in an OLE2 compound file's directory (MS-CFB), or None when the file is not a sound one."""
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return None
        sector = 1 << shift
        n_sectors = len(data) // sector
        first_dir, _mini_cutoff, _first_mini, _n_mini, first_difat, n_difat = struct.unpack_from("<IIIIII", data, 0x30)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < n_sectors]
        next_difat = first_difat
        for _ in range(min(n_difat, n_sectors)):  # files over ~7 MB list more FAT sectors in a chain of DIFAT sectors
            if next_difat >= n_sectors:
                break
            entries = struct.unpack_from(f"<{sector // 4}I", data, (next_difat + 1) * sector)
            fat_sectors += [s for s in entries[:-1] if s < n_sectors]
            next_difat = entries[-1]
        fat = []
        for s in fat_sectors:
            fat += struct.unpack_from(f"<{sector // 4}I", data, (s + 1) * sector)
        names, current, seen = set(), first_dir, set()
        while current < n_sectors and current not in seen:  # the directory's chain of sectors, each read once
            seen.add(current)
            start = (current + 1) * sector
            for entry in range(start, start + sector, 128):
                length, kind = struct.unpack_from("<HB", data, entry + 64)
                if kind in (1, 2, 5) and 2 <= length <= 64:
                    names.add(data[entry:entry + length - 2].decode("utf-16-le", "replace"))
            current = fat[current] if current < len(fat) else n_sectors
        return names or None
    except struct.error:
        return None


def read_limited(file_storage, max_bytes):
    """The upload's bytes, reading at most one byte past ``max_bytes``: a larger file is refused unread."""
    stream, chunks, total = file_storage.stream, [], 0
    while total <= max_bytes:
        chunk = stream.read(min(64 * 1024, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise UploadRefused(_("文件太大了（最大 %(mb)s MB）", mb=megabytes(max_bytes)))
    return b"".join(chunks)


def clean_name(filename, kind, fallback="file"):
    """``filename`` fit to offer as a download's name: no folders, no hidden characters, at most 80 characters,
    with the extension of what the file really is."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = HIDDEN_RE.sub("", BREAKS_RE.sub(" ", name)).strip().lstrip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r'[<>:"|?*]', "_", stem).strip(" .")[:80] or fallback
    return f"{stem}.{EXTENSIONS[kind]}"


def claimed_kind(filename):
    """The kind that ``filename``'s extension claims, if it names one we know."""
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    return CLAIMS.get(extension)


def open_image(data, kind, max_pixels):
    """The image in ``data``, opened (not yet decoded) once its size is known to be acceptable."""
    try:
        image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(too_many_pixels(max_pixels)) from None
    except Exception:  # Pillow raises many kinds of error on a broken file
        raise UploadRefused(_("文件已损坏或不是它声称的类型")) from None
    width, height = image.size
    if width * height > max_pixels:
        raise UploadRefused(too_many_pixels(max_pixels))
    return image


def too_many_pixels(max_pixels):
    return _("图片尺寸太大了（最多 %(n)s 万像素）", n=max_pixels // 10_000)


def store_attachment(file_storage, allowed_kinds=ATTACHMENT_KINDS, max_bytes=None, directory=None):
    """Check and store an attachment as it was sent; raise UploadRefused saying why not.

    ``max_bytes`` defaults to UPLOAD_MAX_BYTES and ``directory`` to UPLOAD_DIR (both need the app context then).
    """
    data = read_limited(file_storage, max_bytes or current_app.config["UPLOAD_MAX_BYTES"])
    kind, claimed = sniff(data), claimed_kind(file_storage.filename)
    if kind is None and claimed in allowed_kinds or kind and claimed and FAMILIES[claimed] != FAMILIES[kind]:
        # A .jpg holding text, a PNG named .pdf: whoever opens it later would be misled, so it is not kept. A .doc
        # that is a .docx, or a .jpg that is a PNG (chat apps do that), is what its sender meant: kept.
        raise UploadRefused(_("文件已损坏或不是它声称的类型"))
    if kind not in allowed_kinds:
        raise UploadRefused(_("文件类型不支持：只接受 PDF、Word、Excel 和图片"))
    if kind in IMAGE_KINDS:
        image = open_image(data, kind, MAX_PIXELS)
        try:
            image.verify()
        except Exception:
            raise UploadRefused(_("文件已损坏或不是它声称的类型")) from None
    return write(data, kind, clean_name(file_storage.filename, kind), directory)


def store_photo(file_storage, max_bytes=None, long_side=1600, directory=None, max_pixels=MAX_PIXELS):
    """Decode a photo (JPEG, PNG, WebP, HEIC), turn it upright and store it as a JPEG at most ``long_side`` px on its
    long side, with no EXIF (no location); raise UploadRefused saying why not.

    ``max_bytes`` defaults to PHOTO_MAX_BYTES and ``directory`` to UPLOAD_DIR (both need the app context then).
    """
    data = read_limited(file_storage, max_bytes or current_app.config["PHOTO_MAX_BYTES"])
    kind = sniff(data)
    if kind not in PHOTO_KINDS:
        raise UploadRefused(_("照片格式不支持：只接受 JPG、PNG、WebP 和 HEIC"))
    image = open_image(data, kind, max_pixels)
    try:
        if kind == "jpeg":  # decode at 1/2, 1/4 or 1/8 scale when that is still large enough: less memory and time
            scale = long_side / max(image.size)
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        image = upright_rgb(image)
        image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        # No exif= and no xmp=: Pillow writes neither unless asked. The colour profile is kept (it says no more
        # than which colours are meant).
        image.save(output, "JPEG", quality=85, optimize=True, icc_profile=image.info.get("icc_profile"))
    except Exception:  # Pillow raises many kinds of error on a broken file
        log.info("a photo (%s, %d bytes) could not be decoded", kind, len(data), exc_info=True)
        raise UploadRefused(_("文件已损坏或不是它声称的类型")) from None
    return write(output.getvalue(), "jpeg", clean_name(file_storage.filename, "jpeg", "photo"), directory)


def upright_rgb(image):
    """The decoded image turned as its EXIF Orientation says, in RGB; transparency becomes white."""
    image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or image.mode == "P" and "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        background.info["icc_profile"] = image.info.get("icc_profile")
        return background
    converted = image.convert("RGB")
    converted.info["icc_profile"] = image.info.get("icc_profile")
    return converted


def upload_dir(directory=None):
    return Path(directory or current_app.config["UPLOAD_DIR"])


def write(data, kind, original_name, directory=None):
    """Store ``data`` under a new random key, atomically: a reader sees the whole file or none."""
    key = secrets.token_urlsafe(24)
    folder = upload_dir(directory) / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, folder / key)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(key, kind, len(data), original_name, hashlib.sha256(data).hexdigest())


def open_stored(key, directory=None):
    """The path of the stored file ``key``; ValueError for anything that is not a key, FileNotFoundError for a key
    with no file."""
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise ValueError("not an upload key")
    path = upload_dir(directory) / key[:2] / key
    if not path.is_file():
        raise FileNotFoundError(key)
    return path


def send_stored(stored, download_name=None, as_attachment=True, directory=None):
    """A response with the stored file (a StoredFile or a row with ``key`` and ``kind``): the calling view has checked
    that the user may see its owner. 404 when the file is missing."""
    try:
        path = open_stored(stored.key, directory)
    except (ValueError, FileNotFoundError):
        log.warning("stored file %s of kind %s is missing", stored.key, stored.kind)
        abort(404)
    name = clean_name(download_name or getattr(stored, "original_name", "") or "", stored.kind)
    response = send_file(path, mimetype=MIMETYPES[stored.kind], as_attachment=as_attachment, download_name=name,
                         max_age=0, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Opened directly in a tab, the file may still run nothing and reach nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_stored(key, directory=None):
    """Remove the stored file ``key``, if it is there."""
    try:
        open_stored(key, directory).unlink(missing_ok=True)
    except FileNotFoundError:
        pass
