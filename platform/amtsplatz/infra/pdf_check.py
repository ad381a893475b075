"""Active content in uploaded PDFs, found by a real PDF parser (qpdf through pikepdf).

A search of the raw bytes misses what sits in a compressed object stream or in an encrypted file. qpdf reads
the file as a PDF reader does (object streams, the newest revision of incrementally updated files, repaired
cross-reference tables); every object it finds is checked for scripts, launch actions, form submissions,
embedded files, XFA forms and actions that run on opening or on events. Encrypted files cannot be checked
(nor read by the caseworker without the password) and files qpdf cannot read at all are refused too.
"""

from __future__ import annotations

import io
from enum import Enum

import pikepdf

# Action types that run code, open other files or send data somewhere (PDF 32000-1, 12.6.4).
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
    }
)
# Keys that carry active content or files, wherever they appear.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"})
MAX_DEPTH = 32  # nesting of direct objects; deeper is no document anybody wrote by hand or tool


class PdfProblem(Enum):
    ACTIVE = "active"
    ENCRYPTED = "encrypted"
    UNREADABLE = "unreadable"


def _active(dictionary: pikepdf.Dictionary) -> bool:
    if any(key in dictionary for key in ACTIVE_KEYS):
        return True
    if dictionary.get("/Type") in (pikepdf.Name.EmbeddedFile, pikepdf.Name.Filespec) and "/EF" in dictionary:
        return True
    action = dictionary.get("/S")
    return isinstance(action, pikepdf.Name) and str(action) in ACTIVE_ACTIONS


def _contains_active(item: object, depth: int = 0) -> bool:
    """Whether an object, or a dictionary or array written directly inside it, is active.

    Indirect objects inside are not followed: ``pdf.objects`` visits each of them on its own.
    """
    if not isinstance(item, pikepdf.Object) or depth > MAX_DEPTH or (depth > 0 and item.is_indirect):
        return False
    if isinstance(item, pikepdf.Stream):
        return _contains_active(item.stream_dict, depth + 1)
    if isinstance(item, pikepdf.Dictionary):
        return _active(item) or any(_contains_active(value, depth + 1) for value in item.values())
    if isinstance(item, pikepdf.Array):
        return any(_contains_active(value, depth + 1) for value in item)
    return False


def _open_action_active(pdf: pikepdf.Pdf) -> bool:
    """An open action may only jump to a page (a destination array or a /GoTo action)."""
    action = pdf.Root.get("/OpenAction")
    if action is None or isinstance(action, pikepdf.Array):
        return False
    return not (isinstance(action, pikepdf.Dictionary) and action.get("/S") == pikepdf.Name.GoTo)


def pdf_problem(content: bytes) -> PdfProblem | None:
    """What is wrong with the PDF ``content`` for a citizen's upload, or None."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        return PdfProblem.ENCRYPTED
    except (pikepdf.PdfError, ValueError, RuntimeError):
        return PdfProblem.UNREADABLE
    with pdf:
        if pdf.is_encrypted:
            return PdfProblem.ENCRYPTED
        try:
            if _open_action_active(pdf):
                return PdfProblem.ACTIVE
            if any(_contains_active(item) for item in pdf.objects):
                return PdfProblem.ACTIVE
        except (pikepdf.PdfError, RuntimeError):
            return PdfProblem.UNREADABLE
    return None
