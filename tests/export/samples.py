"""Sample decks for the export tests, and importing a package with the real Anki."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from anki.notes import Note

from quizapp.deck.model import BasicCard, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.export.builder import build_package
from quizapp.export.writer import write_package
from quizapp.storage.repository import ItemProgress, ReviewRecord

DATA = Path(__file__).resolve().parent.parent / "data" / "export"


def networking_deck(back: str = "The bridge network.") -> Deck:
    return Deck(
        id="docker-networking",
        title="Docker::Networking",
        description="Bridge & overlay networks",
        tags=("docker", "core topics"),
        cards=(
            BasicCard(
                id="bridge-default",
                front="Which network is on by default?",
                back=back,
                tags=("networks",),
                section="Container Networking > Network types",
                explain="Each container gets its own IP.",
            ),
            CommandCard(
                id="network-inspect",
                prompt="Show details of the network `backend`.",
                answer="docker network inspect backend",
                accept=("docker network inspect backend --format json",),
                prefix="docker network",
            ),
            ClozeCard(
                id="overlay-encrypt",
                text="Create an overlay with {{c1::docker network create}} and encrypt it "
                "with {{c2::-o encrypted::an option}}.",
                explain="IPsec between nodes.",
            ),
            ChoiceCard(
                id="swarm-consensus",
                question="Which protocol elects a swarm leader?",
                choices=("Raft", "Paxos", "Gossip", "Two-phase commit"),
                answer="Raft",
            ),
        ),
    )


def escaping_deck() -> Deck:
    return Deck(
        id="escaping",
        title="Escaping",
        cards=(
            BasicCard(
                id="dangling",
                front="What does `<none>` mean in `docker images`?",
                back="<script>alert(1)</script> & more\nsecond line",
            ),
        ),
    )


def import_package(
    col: Collection, apkg: Path, *, with_scheduling: bool = False, always_update: bool = False
) -> None:
    condition = (
        ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
        if always_update
        else ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    )
    options = ImportAnkiPackageOptions(
        with_scheduling=with_scheduling, update_notes=condition, update_notetypes=condition
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))


def notes_by_guid(col: Collection) -> dict[str, Note]:
    notes = (col.get_note(nid) for nid in col.find_notes(""))
    return {note.guid: note for note in notes}


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def export(
    folder: Path,
    decks: Sequence[Deck],
    *,
    now: datetime = NOW,
    name: str = "out.apkg",
    progress: Sequence[ItemProgress] | None = None,
    reviews: Sequence[ReviewRecord] | None = None,
    rollover_hour: int = 4,
) -> Path:
    """Build and write a package of `decks`; return its path."""
    path = folder / name
    package = build_package(decks, progress, reviews, now=now, rollover_hour=rollover_hour)
    write_package(package, path)
    return path
