"""metadossier's own exceptions.

Each message names the file or value at fault and what the user can do about it; the CLI
prints the message as one line and exits non-zero, without a traceback.
"""

from __future__ import annotations


class MetadossierError(Exception):
    """Base class: an expected failure with a message fit for the user."""


class InputFileError(MetadossierError):
    """A file that cannot be ingested. Carries the path and the fix."""

    reason = "kan niet worden gelezen"
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
    reason = "het bestand is leeg"
    hint = "download of exporteer het rapport opnieuw"


class MissingFile(InputFileError):
    reason = "bestand of map bestaat niet"
    hint = "controleer het pad (een tikfout, of is het bestand verplaatst?)"


class BrokenLink(InputFileError):
    reason = "de snelkoppeling (symbolische link) wijst nergens heen"
    hint = "laat hem naar een bestaande PDF wijzen of verwijder hem"


class EmptyFolder(InputFileError):
    reason = "de map bevat geen PDF-bestanden"
    hint = "controleer het pad, of laat de map weg"


class NoReadPermission(InputFileError):
    reason = "kan niet worden geopend"
    hint = "geef jezelf leesrechten (bijv. `chmod u+r FILE`) of laat het bestand weg"

    def __init__(self, path: str, detail: str = "", hint: str | None = None) -> None:
        super().__init__(path, detail, hint if hint is not None else self.hint.replace("FILE", _quote(str(path))))


def _quote(path: str) -> str:
    import shlex

    return shlex.quote(path)


class NotAPDF(InputFileError):
    reason = "dit is geen PDF-bestand"
    hint = "zet het eerst om naar PDF, of laat het weg"


class UnreadablePDF(InputFileError):
    reason = "de PDF is beschadigd of onvolledig"
    hint = "download hem opnieuw of herstel hem (bijv. `qpdf in.pdf uit.pdf`) en lees hem opnieuw in"


class EncryptedPDF(InputFileError):
    reason = "de PDF is beveiligd met een wachtwoord"
    hint = "haal eerst de beveiliging eraf (bijv. `qpdf --decrypt --password=WACHTWOORD in.pdf uit.pdf`) en lees hem opnieuw in"


class NoTextLayer(InputFileError):
    reason = "de PDF bevat geen tekst (gescande pagina's?)"
    hint = "laat er eerst tekstherkenning op los (bijv. `ocrmypdf in.pdf uit.pdf`) en lees dat bestand in"


class TooLarge(InputFileError):
    reason = "het bestand is te groot"
    hint = "splits het, of verhoog de grens met --max-pages / --max-mb"


class NotDutch(InputFileError):
    reason = "de tekst lijkt niet Nederlands"
    hint = "metadossier leest alleen Nederlandse rapporten; laat het weg of geef --any-language mee"


class AnnotationError(MetadossierError):
    """A malformed gold or human-label file; the message names the file and line."""

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {detail} — verbeter dit en probeer het opnieuw")
        self.path = str(path)
        self.line = line


class ModelNotAvailable(MetadossierError):
    """An optional model or package is missing; the message says how to install it."""


class StoreError(MetadossierError):
    """The SQLite store is missing, locked or from an incompatible version."""


class SettingsError(MetadossierError, ValueError):
    """A setting out of range or unknown; the message names the value and what is allowed.

    Also a ValueError, for code that validated settings before this class existed."""
