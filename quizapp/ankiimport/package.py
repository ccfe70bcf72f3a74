"""Opening an Anki package defensively: the zip, its collection and its media map.

A package is a zip holding a SQLite collection and media files named 0, 1, 2... with a map to
their real names. Three generations exist: current Anki (`meta` says "latest":
`collection.anki21b` and every media file zstd-compressed, the map a zstd-compressed protobuf
list), Anki 2.1.x (`collection.anki21`, JSON map) and Anki 2.0 / genanki (`collection.anki2`).

Anything else is refused with one line, before anything is written: not a zip, no collection,
members that point outside the folder (`../`), a member or a collection that would inflate past
the limits (a zip bomb), media names that are paths.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from quizapp.ankiimport.protobuf import ProtobufError, first_int, first_text, message
from quizapp.errors import QuizappError

MAX_TOTAL_BYTES = 8 << 30
"""The most all members together may inflate to."""
MAX_RATIO = 200
"""Inflating more than this many times over (past `RATIO_FLOOR`) is a bomb, not a collection."""
RATIO_FLOOR = 64 << 20
_CHUNK = 1 << 20
VERSION_LATEST = 3
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


class PackageError(QuizappError):
    """The file is not an Anki package this import can read safely."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 1)


@dataclass(slots=True)
class Package:
    path: Path
    archive: zipfile.ZipFile
    collection_member: str
    latest: bool
    """Current Anki's format: zstd-compressed collection and media."""
    media: dict[str, str] = field(default_factory=dict)
    """Media file name -> zip member."""

    def extract_collection(self, target: Path) -> None:
        """The collection as a plain SQLite file at `target`."""
        info = self.archive.getinfo(self.collection_member)
        with self.archive.open(info) as source, target.open("wb") as sink:
            if self.latest or self.collection_member.endswith("anki21b"):
                _unzstd(source, sink, info.compress_size, self.collection_member)
            else:
                _copy_limited(source, sink, info.file_size, self.collection_member)

    def extract_media(self, name: str, target: Path) -> None:
        info = self.archive.getinfo(self.media[name])
        with self.archive.open(info) as source, target.open("wb") as sink:
            if self.latest and _is_zstd(self.archive, info):
                _unzstd(source, sink, info.compress_size, name)
            else:
                _copy_limited(source, sink, info.file_size, name)

    def close(self) -> None:
        self.archive.close()


def open_package(path: Path) -> Package:
    """Open and check `path`; raises PackageError with the reason when it cannot be read."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PackageError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise PackageError(f"cannot read {path}: it is a folder, not an Anki package") from None
    except PermissionError:
        raise PackageError(f"cannot read {path}: permission denied") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageError(
            f"{path} is not an Anki package (.apkg or .colpkg): it is not a zip file"
        ) from None
    try:
        return _check(path, archive)
    except BaseException:
        archive.close()
        raise


def _check(path: Path, archive: zipfile.ZipFile) -> Package:
    infos = archive.infolist()
    total = 0
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or info.filename.startswith(("/", "\\")):
            raise PackageError(
                f"{path} is not a safe Anki package: member {info.filename!r} points outside "
                "its folder; nothing was written"
            )
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise PackageError(
                f"{path} is not a safe Anki package: {info.filename!r} would inflate "
                f"{info.file_size // max(1, info.compress_size)} times over (a zip bomb?); "
                "nothing was written"
            )
    if total > MAX_TOTAL_BYTES:
        raise PackageError(
            f"{path} is not a safe Anki package: it would inflate to {total >> 20} MiB; "
            "nothing was written"
        )
    names = {info.filename for info in infos}
    latest = False
    if "meta" in names:
        try:
            latest = first_int(message(_read_small(archive, "meta")), 1) >= VERSION_LATEST
        except ProtobufError:
            raise PackageError(f"{path} is not an Anki package: its meta file is damaged") from None
    member = next((name for name in COLLECTIONS if name in names), None)
    if latest and "collection.anki21b" in names:
        member = "collection.anki21b"
    if member is None:
        raise PackageError(
            f"{path} is not an Anki package (.apkg or .colpkg): it holds no Anki collection"
        )
    package = Package(path, archive, member, latest)
    package.media = _media_map(package, names)
    return package


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 64 << 20) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise PackageError(f"{name} in the package is too large ({info.file_size} bytes)")
    with archive.open(info) as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise PackageError(f"{name} in the package is too large")
    return data


def _media_map(package: Package, names: set[str]) -> dict[str, str]:
    if "media" not in names:
        return {}
    raw = _read_small(package.archive, "media")
    shown = package.path
    mapping: dict[str, str] = {}
    try:
        if package.latest:
            import zstandard

            data = zstandard.ZstdDecompressor().decompress(raw, max_output_size=64 << 20)
            for index, entry in enumerate(message(data).get(1, [])):
                if not isinstance(entry, bytes):
                    raise ProtobufError("not an entry")
                fields = message(entry)
                legacy = first_text(fields, 255)
                mapping[first_text(fields, 1)] = legacy or str(index)
        else:
            loaded = json.loads(raw.decode("utf-8") or "{}")
            if not isinstance(loaded, dict):
                raise ValueError("not a map")
            mapping = {str(name): str(member) for member, name in loaded.items()}
    except (ValueError, ProtobufError, UnicodeDecodeError, ImportError) as error:
        raise PackageError(f"{shown} is not an Anki package: its media list is damaged") from error
    for name, member in mapping.items():
        if not safe_media_name(name):
            raise PackageError(
                f"{shown} is not a safe Anki package: media file name {name!r} is a path "
                "outside the media folder; nothing was written"
            )
        if member not in names:
            mapping[name] = ""
    return {name: member for name, member in mapping.items() if member}


def safe_media_name(name: str) -> bool:
    """A plain file name: no folders, no `..`, no control characters, not hidden."""
    return (
        bool(name)
        and name not in (".", "..")
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and not any(ord(ch) < 32 for ch in name)
        and len(name.encode("utf-8", "surrogatepass")) <= 255
    )


def _is_zstd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as source:
        return source.read(4) == b"\x28\xb5\x2f\xfd"


def _copy_limited(source: IO[bytes], sink: IO[bytes], declared: int, name: str) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > declared or written > MAX_TOTAL_BYTES:
            raise PackageError(f"{name} in the package is larger than it says (a zip bomb?)")
        sink.write(chunk)


def _unzstd(source: IO[bytes], sink: IO[bytes], compressed: int, name: str) -> None:
    import zstandard

    limit = min(MAX_TOTAL_BYTES, max(RATIO_FLOOR, MAX_RATIO * max(1, compressed)))
    reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
    written = 0
    try:
        while chunk := reader.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise PackageError(
                    f"{name} in the package would inflate past {limit >> 20} MiB (a zip bomb?); "
                    "nothing was written"
                )
            sink.write(chunk)
    except zstandard.ZstdError as error:
        raise PackageError(f"{name} in the package is damaged ({error})") from None


def connect(path: Path) -> sqlite3.Connection:
    """The extracted collection, read-only, with Anki's `unicase` collation."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.create_collation("unicase", _unicase)
    return db


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)
