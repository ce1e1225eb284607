"""Where a meeting in the exchange format comes from – a ``meeting.json``, the folder
holding it, or a zip of that folder – and reading its files safely: only the meeting's
own regular files, no path out of the folder, no zip bomb."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path, PurePosixPath

from agenda.errors import ExchangeError, os_error_reason


class Source:
    """The folder or zip a meeting.json came from; reads the files it names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._base = PurePosixPath()
        if path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [n for n in self._zip.namelist() if PurePosixPath(n).name == "meeting.json"]
            if not names:
                raise ExchangeError(
                    f"Zip-filen {path.name} indeholder ingen meeting.json.", path=str(path)
                )
            try:
                _refuse_bomb(self._zip, path)
            except ExchangeError:
                self._zip.close()
                raise
            json_name = min(names, key=lambda n: n.count("/"))
            self._base = PurePosixPath(json_name).parent
            self.json_name = json_name
        elif path.is_dir():
            self.json_name = "meeting.json"
            self._dir = path
        else:
            self.json_name = path.name
            self._dir = path.parent

    def close(self) -> None:
        if self._zip:
            self._zip.close()

    def meeting_json(self) -> bytes:
        if self._zip:
            return self._zip.read(self.json_name)
        target = self._dir / self.json_name
        if not target.is_file():
            raise ExchangeError(
                f"Der er ingen meeting.json i {self._dir}. Angiv mappen, som mødet blev "
                "eksporteret til (den med meeting.json og bilagene), selve meeting.json "
                "eller zip-filen.",
                path=str(target),
            )
        return target.read_bytes()

    def read(self, file_name: str, item: str) -> bytes:
        if not file_name.strip():
            raise ExchangeError(
                f"Et bilag under punktet »{item}« i {self.path} har intet filnavn "
                "(»fileName«). Angiv filen i meeting.json.",
                path=str(self.path),
            )
        rel = PurePosixPath(file_name.replace("\\", "/"))
        if rel.is_absolute() or ".." in rel.parts or not file_name or ":" in rel.parts[0]:
            raise ExchangeError(
                f"Bilagsfilen »{file_name}« under punktet »{item}« skal være en sti inde i "
                "mødets mappe (ikke absolut og uden »..«). Ret meeting.json.",
                path=str(self.path),
            )
        if self._zip:
            name = str(self._base / rel) if str(self._base) != "." else str(rel)
            try:
                return self._zip.read(name)
            except KeyError:
                raise _missing(file_name, item, self.path) from None
        target = self._dir.joinpath(*rel.parts)
        # a link inside the folder may point anywhere (a private key, /dev/zero): only the
        # meeting's own files are read, and only regular files
        if target.exists() and not target.resolve().is_relative_to(self._dir.resolve()):
            raise ExchangeError(
                f"Bilagsfilen »{file_name}« under punktet »{item}« er en genvej til en fil "
                "uden for mødets mappe. Læg selve filen i mappen, og prøv igen.",
                path=str(target),
            )
        if target.exists() and not target.is_dir() and not target.is_file():
            raise ExchangeError(
                f"Bilaget »{file_name}« under punktet »{item}« er ikke en almindelig fil. "
                "Læg selve filen i mappen, og prøv igen.",
                path=str(target),
            )
        if target.is_dir():
            raise ExchangeError(
                f"Bilaget »{file_name}« under punktet »{item}« er en mappe, ikke en fil. "
                "Angiv filen i meeting.json.",
                path=str(target),
            )
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise _missing(file_name, item, target) from None
        except OSError as error:
            raise ExchangeError(
                f"Bilaget {target} kunne ikke læses: {os_error_reason(error)}.", path=str(target)
            ) from error


#: What a meeting's zip may inflate to: bilag are documents, not gigabytes of zeros.
MAX_INFLATED = 4 << 30
MAX_JSON = 50 << 20
_MAX_RATIO = 100


def _refuse_bomb(archive: zipfile.ZipFile, path: Path) -> None:
    """Judged from the declared sizes before anything is inflated."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = max(path.stat().st_size, 1)
    json_too_big = any(
        PurePosixPath(i.filename).name == "meeting.json" and i.file_size > MAX_JSON for i in infos
    )
    if json_too_big or total > MAX_INFLATED or (total > 100 << 20 and total > _MAX_RATIO * packed):
        raise ExchangeError(
            f"Zip-filen {path.name} pakker sig ud til langt mere, end et møde fylder (en "
            "såkaldt zip-bombe, eller en beskadiget fil), så den er ikke læst. Bed om "
            "mødet igen, eller eksportér det på ny.",
            path=str(path),
        )


def _missing(file_name: str, item: str, where: Path) -> ExchangeError:
    return ExchangeError(
        f"Bilagsfilen »{file_name}« under punktet »{item}« findes ikke. Læg filen i mødets "
        "mappe, eller ret fileName i meeting.json.",
        path=str(where),
    )


_REASONS = {
    errno.ENOENT: "filen findes ikke længere",
    errno.EACCES: "du har ikke adgang til den",
    errno.EISDIR: "det er en mappe",
    errno.ELOOP: "genvejen peger i ring",
}


def unreadable(path: Path, error: BaseException) -> ExchangeError:
    code = getattr(error, "errno", None)
    reason = _REASONS.get(code) if code else None
    reason = reason or getattr(error, "strerror", None) or str(error) or type(error).__name__
    return ExchangeError(
        f"{path} kunne ikke læses ({reason}). Kontrollér, at filen findes og er hel, og prøv igen.",
        path=str(path),
    )
