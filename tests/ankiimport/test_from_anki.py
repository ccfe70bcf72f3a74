"""Packages written by the real Anki (current and legacy, .apkg and .colpkg, SM-2 and FSRS)
come back as decks that validate, with each card due on the day Anki shows and with its
interval, ease, lapses, suspension and review history."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.ankiimport.command import run_import
from quizapp.ankiimport.notes import card_id_for
from quizapp.context import AppContext
from quizapp.deckfiles import load_decks
from quizapp.scheduling.day import study_day
from quizapp.scheduling.settings import Settings
from quizapp.storage.engine import open_store
from quizapp.storage.repository import progress, review_log
from tests.storage.helpers import todays_queue

from .anki_collections import Built, build, export_all

NOW = datetime.now(UTC)


def _import(
    tmp_path: Path, package: Path, name: str = "run", progress_too: bool = True
) -> tuple[AppContext, Path, str]:
    out = tmp_path / f"{name}-decks"
    ctx = AppContext(db=str(tmp_path / f"{name}.db"), deck_dirs=(out,))
    text = io.StringIO()
    assert run_import(ctx, package, out, [], progress_too, text, now=NOW) == 0
    return ctx, out, text.getvalue()


def _expected_item(col: Collection, card_id: int) -> str | None:
    """The quizapp item an Anki card becomes (the rules of quizapp.ankiimport.notes)."""
    card = col.get_card(card_id)
    note = col.get_note(card.nid)
    base = card_id_for(note.guid)
    kind = note.note_type()["name"]
    if kind == "Cloze":
        if "{{c2::inner}}" in note["Text"]:
            return None if card.ord == 1 else f"{base}#c1"  # c2 was nested in c1
        return f"{base}#c{card.ord + 1}"
    if kind == "Basic (type in the answer)" and note["Back"] == "Paris":
        return f"{base}#c1"
    return base if card.ord == 0 else f"{base}-{card.ord + 1}"


@pytest.fixture(scope="module", params=["sm2", "fsrs"])
def studied(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp(request.param)
    built = build(folder / "collection.anki2", fsrs=request.param == "fsrs")
    built.packages = export_all(built, folder)  # type: ignore[attr-defined]
    return built


@pytest.mark.parametrize(
    "package", ["deck-current.apkg", "deck-legacy.apkg", "all-current.colpkg", "all-legacy.colpkg"]
)
def test_due_days_and_intervals_are_what_anki_shows(
    studied: Built, package: str, tmp_path: Path
) -> None:
    col = studied.col
    ctx, out, report = _import(tmp_path, studied.packages[package])  # type: ignore[attr-defined]
    today = study_day(NOW, 4)
    anki_today = col.sched.today
    with open_store(ctx.db) as store:
        items = {(p.deck_id, p.item_id): p for p in progress(store)}
        by_item = {item_id: p for (_, item_id), p in items.items()}
        queue = {c.item_id for c in todays_queue(store, None, today, Settings(), seed=1)}
        log = review_log(store)
    checked = Counter()
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        item_id = _expected_item(col, card_id)
        if item_id is None:
            continue
        state = by_item[item_id]
        if card.type == 2:
            assert state.due == today + timedelta(days=card.due - anki_today), item_id
            assert state.interval == card.ivl
            assert state.easiness * 1000 == max(1300, card.factor)
            assert state.lapses == card.lapses
            checked["review"] += 1
        elif card.type in (1, 3):
            assert state.due == today
            assert state.lapses == card.lapses
            checked["learning"] += 1
        else:
            assert state.due is None
        if card.queue == -1:
            assert state.suspended and item_id not in queue
            checked["suspended"] += 1
    assert checked["review"] >= 10 and checked["learning"] >= 2 and checked["suspended"] == 1
    answers = col.db.scalar("SELECT COUNT(*) FROM revlog WHERE ease > 0")
    nested_c2 = col.db.scalar(
        "SELECT COUNT(*) FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid"
        " WHERE r.ease > 0 AND c.ord = 1 AND n.flds LIKE '%{{c2::inner}}%'"
    )
    assert len(log) == answers - nested_c2
    assert "reviews" in report
    results = load_decks([out])
    assert all(not r.errors for r in results) and len(results) == 3


def test_decks_notes_media_and_warnings(studied: Built, tmp_path: Path) -> None:
    package = studied.packages["deck-current.apkg"]  # type: ignore[attr-defined]
    _, out, report = _import(tmp_path, package, progress_too=False)
    assert sorted(p.name for p in out.glob("*.yaml")) == [
        "docker-networking.yaml",
        "docker.yaml",
        "words.yaml",
    ]
    decks = {r.deck.title: r.deck for r in load_decks([out]) if r.deck}
    assert set(decks) == {"Docker", "Docker::Networking", "Words"}
    net = decks["Docker::Networking"]
    # 6 Basic, a reversed pair, optional reversed without and with the reverse.
    assert len(net.cards) == 6 + 2 + 1 + 2
    fronts = {c.front: c.back for c in net.cards}  # type: ignore[union-attr]
    assert fronts["Question 0"] == "Answer 0\nline two"
    assert fronts["the default network"] == "bridge"
    assert fronts["a MAC per container"] == "macvlan"
    assert "multi-host" not in fronts
    docker = {c.kind.value: c for c in decks["Docker"].cards}
    cloze_texts = sorted(c.text for c in decks["Docker"].cards if c.kind.value == "cloze")
    assert cloze_texts == [
        "Capital of France\n\n{{c1::Paris}}",
        "Run {{c1::docker run}} with {{c2::-d::a flag}}.",
        "{{c1::outer inner text}}",
    ]
    assert docker["command"].answer == "docker ps -a"  # type: ignore[union-attr]
    words = {c.front: c for c in decks["Words"].cards}  # type: ignore[union-attr]
    assert words["Hund"].back == "dog\nDer Hund & die Katze"
    assert words["Look: [image: media/pic.png]"].back == "[sound: media/say.mp3] hi"
    assert (out / "media" / "pic.png").read_bytes() == b"\x89PNG fake image"
    assert (out / "media" / "say.mp3").read_bytes() == b"ID3 fake sound"
    assert "3 decks, 20 notes" not in report  # the nested cloze note counts once
    assert "2 media files" in report
    assert "note type 'Vocab': 1 note imported as basic cards" in report
    assert "c2 nested inside another deletion" in report


def test_importing_again_updates_instead_of_duplicating(studied: Built, tmp_path: Path) -> None:
    package = studied.packages["all-current.colpkg"]  # type: ignore[attr-defined]
    ctx, out, _ = _import(tmp_path, package)
    with open_store(ctx.db) as store:
        first_items = {(p.deck_id, p.item_id): (p.due, p.interval) for p in progress(store)}
        first_log = len(review_log(store))
    ctx, out, _ = _import(tmp_path, package)
    with open_store(ctx.db) as store:
        again = {(p.deck_id, p.item_id): (p.due, p.interval) for p in progress(store)}
        assert len(review_log(store)) == first_log
    assert again == first_items
    assert len(list(out.glob("*.yaml"))) == 3


def test_only_the_named_deck_and_its_subdecks(studied: Built, tmp_path: Path) -> None:
    out = tmp_path / "decks"
    ctx = AppContext(db=str(tmp_path / "q.db"), deck_dirs=(out,))
    package = studied.packages["deck-legacy.apkg"]  # type: ignore[attr-defined]
    run_import(ctx, package, out, ["docker"], False, io.StringIO(), now=NOW)
    assert sorted(p.name for p in out.glob("*.yaml")) == ["docker-networking.yaml", "docker.yaml"]


def test_an_unknown_deck_name_lists_the_decks_and_writes_nothing(
    studied: Built, tmp_path: Path
) -> None:
    from quizapp.errors import QuizappError

    out = tmp_path / "decks"
    ctx = AppContext(db=str(tmp_path / "q.db"), deck_dirs=(out,))
    package = studied.packages["deck-current.apkg"]  # type: ignore[attr-defined]
    with pytest.raises(QuizappError) as error:
        run_import(ctx, package, out, ["Dokcer"], True, io.StringIO(), now=NOW)
    assert error.value.exit_code == 2
    assert "no deck 'Dokcer'" in error.value.message and "Docker::Networking" in error.value.message
    assert not out.exists() and not (tmp_path / "q.db").exists()


OTHER_DECK = """\
deck: {id}
title: Mine
cards:
  - id: a
    front: A
    back: B
    section: s
"""


def test_ids_clash_with_no_other_deck_and_stay_put_on_a_second_import(
    studied: Built, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "net.yaml").write_text(OTHER_DECK.format(id="docker-networking"))
    out = tmp_path / "decks"
    out.mkdir()
    (out / "docker.yaml").write_text(OTHER_DECK.format(id="docker"))
    ctx = AppContext(db=str(tmp_path / "q.db"), deck_dirs=(elsewhere, out))
    package = studied.packages["deck-current.apkg"]  # type: ignore[attr-defined]
    for _ in range(2):
        run_import(ctx, package, out, [], True, io.StringIO(), now=NOW)
        names = sorted(p.name for p in out.glob("*.yaml"))
        assert names == ["docker-2.yaml", "docker-networking-2.yaml", "docker.yaml", "words.yaml"]
        assert (out / "docker.yaml").read_text() == OTHER_DECK.format(id="docker")
        results = load_decks([elsewhere, out])
        assert all(not r.errors for r in results)
    with open_store(ctx.db) as store:
        assert {p.deck_id for p in progress(store)} >= {"docker-2", "docker-networking-2", "words"}
