"""metadossier's own exceptions.

Each message names the file or value at fault and what the user can do about it; the CLI
prints the message as one line and exits non-zero, without a traceback.
"""

from __future__ import annotations


class MetadossierError(Exception):
    """Base class: an expected failure with a message fit for the user."""


class InputFileError(MetadossierError):
    """A file that cannot be ingested. Carries the path and the fix."""

    reason = "cannot be read"
    hint = ""

    def __init__(self, path: str, detail: str = "", hint: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        if hint is not None:
            self.hint = hint
        message = f"{self.path}: {self.reason}"
        if detail:
            message += f" ({detail})"
        if self.hint:
            message += f" — {self.hint}"
        super().__init__(message)


class EmptyFile(InputFileError):
    reason = "file is empty"
    hint = "re-download or re-export the report"


class MissingFile(InputFileError):
    reason = "no such file or folder"
    hint = "check the path (a typo, or a file moved away?)"


class BrokenLink(InputFileError):
    reason = "broken symbolic link"
    hint = "point the link at an existing PDF or remove it"


class EmptyFolder(InputFileError):
    reason = "folder has no PDF files"
    hint = "check the path, or leave the folder out of the batch"


class NoReadPermission(InputFileError):
    reason = "cannot be opened"
    hint = "give yourself read access (e.g. `chmod u+r FILE`) or leave it out of the batch"

    def __init__(self, path: str, detail: str = "", hint: str | None = None) -> None:
        super().__init__(path, detail, hint if hint is not None else self.hint.replace("FILE", _quote(str(path))))


def _quote(path: str) -> str:
    import shlex

    return shlex.quote(path)


class NotAPDF(InputFileError):
    reason = "not a PDF file"
    hint = "convert it to PDF first, or leave it out of the batch"


class UnreadablePDF(InputFileError):
    reason = "PDF is corrupt or truncated"
    hint = "re-download it or repair it (e.g. `qpdf in.pdf out.pdf`) and ingest again"


class EncryptedPDF(InputFileError):
    reason = "PDF is password-protected"
    hint = "decrypt it first (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and ingest again"


class NoTextLayer(InputFileError):
    reason = "no text layer (scanned pages?)"
    hint = "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and ingest the OCR'd file"


class TooLarge(InputFileError):
    reason = "file is too large"
    hint = "split it, or raise the limit with --max-pages / --max-mb"


class NotDutch(InputFileError):
    reason = "text does not look Dutch"
    hint = "metadossier segments Dutch reports only; leave it out or pass --any-language"


class AnnotationError(MetadossierError):
    """A malformed gold or human-label file; the message names the file and line."""

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {detail} — fix the line and run again")
        self.path = str(path)
        self.line = line


class ModelNotAvailable(MetadossierError):
    """An optional model or package is missing; the message says how to install it."""


class StoreError(MetadossierError):
    """The SQLite store is missing, locked or from an incompatible version."""


class SettingsError(MetadossierError, ValueError):
    """A setting out of range or unknown; the message names the value and what is allowed.

    Also a ValueError, for code that validated settings before this class existed."""
