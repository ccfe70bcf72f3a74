"""The .apkg on disk: a zip Anki reads, file modes kept, the collection's day zero."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

from quizapp.export.schedule import COLLECTION_CREATED

from .samples import export, networking_deck


def test_package_layout_and_collection_timing(tmp_path: Path) -> None:
    apkg = export(tmp_path, [networking_deck()], rollover_hour=6)
    with zipfile.ZipFile(apkg) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    crt, conf = db.execute("SELECT crt, conf FROM col").fetchone()
    assert crt == COLLECTION_CREATED
    config = json.loads(conf)
    assert (config["schedVer"], config["rollover"], config["creationOffset"]) == (2, 6, 0)
    assert db.execute("SELECT COUNT(*), SUM(type), SUM(queue) FROM cards").fetchone() == (5, 0, 0)
    # New cards keep the deck's order: positions 1..4, a cloze's cards share their note's.
    assert [due for (due,) in db.execute("SELECT due FROM cards ORDER BY id")] == [1, 2, 3, 3, 4]
    db.close()


def test_a_new_file_gets_the_umask_mode_and_a_replaced_file_keeps_its_own(
    tmp_path: Path,
) -> None:
    old = os.umask(0o027)
    try:
        fresh = export(tmp_path, [networking_deck()], name="fresh.apkg")
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    kept = tmp_path / "kept.apkg"
    kept.write_bytes(b"old")
    kept.chmod(0o604)
    export(tmp_path, [networking_deck()], name="kept.apkg")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604
    assert zipfile.is_zipfile(kept)
