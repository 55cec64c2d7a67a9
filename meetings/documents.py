"""Which documents an attachment may be: PDF, DOCX, XLSX, ODT and images (PNG, JPEG), judged
by their content (magic bytes; for the Office and OpenDocument formats, the parts inside the
ZIP container), not by the name alone. The name's extension must match what the content is."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    "pdf": Kind("application/pdf", (".pdf",)),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
    ),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "odt": Kind("application/vnd.oasis.opendocument.text", (".odt",)),
    "png": Kind("image/png", (".png",)),
    "jpeg": Kind("image/jpeg", (".jpg", ".jpeg")),
}


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                if archive.read("mimetype").strip() == KINDS["odt"].content_type.encode():
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return "docx"
                if any(name.startswith("xl/") for name in names):
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def kind_of(upload) -> str | None:
    """The kind of the uploaded file by its content, or None when it is none of KINDS."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    return None


def document_check(upload) -> Kind:
    """The kind of an uploaded attachment; ValidationError (Dutch, for the secretary) when it
    is too large, of another type, or named as a type it is not."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Het bestand is te groot: ten hoogste %(mb)s MB.")
            % {"mb": round(limit / 1024 / 1024, 1)}
        )
    kind = kind_of(upload)
    if kind is None:
        raise ValidationError(
            _("Dit bestandstype kan niet als bijlage: kies een PDF, DOCX, XLSX, ODT, PNG of JPEG.")
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in KINDS[kind].extensions:
        raise ValidationError(
            _("De naam past niet bij de inhoud: het bestand is een %(kind)s, geen %(ext)s.")
            % {"kind": kind.upper(), "ext": extension or _("bestand zonder extensie")}
        )
    return KINDS[kind]
