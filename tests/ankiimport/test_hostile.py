"""Packages that are not what they claim: one clear line, exit 1 or 2, nothing written."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from quizapp.cli import main

from .anki_collections import build, export_all


def _run(tmp_path: Path, package: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "decks"
    db = tmp_path / "q.db"
    with pytest.raises(SystemExit) as done:
        main(["--db", str(db), "import", "anki", str(package), "-o", str(out), "--with-progress"])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert not out.exists(), "the output folder was created"
    assert not db.exists(), "the database was created"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert isinstance(done.value.code, int) and done.value.code in (1, 2)
    return lines[0]


def _collection(tmp_path: Path) -> bytes:
    """A small genuine legacy collection (schema 11), as bytes."""
    built = build(tmp_path / "src" / "c.anki2", days=2, media=False)
    packages = export_all(built, tmp_path / "src")
    with zipfile.ZipFile(packages["deck-legacy.apkg"]) as archive:
        return archive.read("collection.anki21")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    return tmp_path


def test_zip_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.apkg"
    zeros = bytes(1 << 20)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("collection.anki2", "w", force_zip64=True) as member,
    ):
        for _ in range(100):
            member.write(zeros)
    line = _run(tmp_path, bomb, capsys)
    assert "zip bomb" in line and "nothing was written" in line


def test_zstd_bomb_inside_a_current_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.apkg"
    compressor = zstandard.ZstdCompressor()
    chunks = compressor.compressobj()
    data = b"".join(chunks.compress(bytes(1 << 20)) for _ in range(200)) + chunks.flush()
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("collection.anki21b", data)
        archive.writestr("media", compressor.compress(b""))
    line = _run(tmp_path, bomb, capsys)
    assert "zip bomb" in line


def test_member_escaping_the_folder(src: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = src / "escape.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki21", _collection(src))
        archive.writestr("media", "{}")
        archive.writestr("../../evil.txt", "boo")
    line = _run(src, package, capsys)
    assert "points outside" in line


def test_media_name_escaping_the_folder(src: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = src / "media.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki21", _collection(src))
        archive.writestr("media", json.dumps({"0": "../../evil.sh"}))
        archive.writestr("0", "#!/bin/sh")
    line = _run(src, package, capsys)
    assert "media file name '../../evil.sh'" in line


def test_corrupt_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "corrupt.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", b"SQLite format 3\x00" + bytes(range(256)) * 40)
        archive.writestr("media", "{}")
    line = _run(tmp_path, package, capsys)
    assert "damaged" in line


def test_a_database_that_is_not_a_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    package = tmp_path / "other.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(db, "collection.anki2")
    db.unlink()
    line = _run(tmp_path, package, capsys)
    assert "damaged" in line or "not an Anki package" in line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just text, not a zip", "it is not a zip file"),
        (None, "holds no Anki collection"),
    ],
)
def test_not_an_anki_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    package = tmp_path / "thing.apkg"
    if content is None:
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("README.txt", "hello")
    else:
        package.write_bytes(content)
    line = _run(tmp_path, package, capsys)
    assert expected in line and line.startswith("quizapp: error: ")


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _run(tmp_path, tmp_path / "nope.apkg", capsys)
    assert "no such file" in line
