"""Progress imported from Anki travels by device sync: device A imports a real Anki package
with progress and syncs; device B (the same deck files) syncs and holds, for every item, the
state Anki left (due day, interval, ease, lapses, suspension) and the same FSRS memory state,
not the replay of the imported answers from a new state. Answers after that converge."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from anki.collection import Collection

from quizapp.deckfiles import load_decks
from quizapp.scheduling import fsrs
from quizapp.scheduling.day import study_day
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.sm2 import Sm2State, review
from quizapp.storage import fsrs_store
from quizapp.storage.device_sync import init_remote, sync
from quizapp.storage.engine import Store, open_store
from quizapp.storage.fsrs_schedule import fsrs_after_item
from quizapp.storage.fsrs_store import deck_config, item_fsrs_state, reconcile
from quizapp.storage.repository import progress, record_answer, review_log
from quizapp.storage.sync import sync_decks
from tests.device_sync.conftest import pg_db, pg_server  # noqa: F401 (fixtures)
from tests.pgserver import PgServer
from tests.storage.helpers import todays_queue

from .anki_collections import Built, build, export_all
from .test_from_anki import NOW, _expected_item, _import
from .test_fsrs_seed import PARAMETERS

ROLLOVER = 4
TODAY = study_day(NOW, ROLLOVER)
Row = tuple[object, ...]


@pytest.fixture(scope="module", params=["sm2", "fsrs"])
def studied(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp(f"sync-{request.param}")
    preset = (PARAMETERS, 0.85) if request.param == "fsrs-preset" else None
    built = build(folder / "collection.anki2", fsrs=request.param != "sm2", preset=preset)
    if request.param != "sm2":  # a partial history: only the seed holds these cards' state
        for card_id in built.col.find_cards("is:review")[::3]:
            built.col.db.execute("DELETE FROM revlog WHERE cid = ?", card_id)
    built.packages = export_all(built, folder)  # type: ignore[attr-defined]
    return built


def _rows(store: Store) -> dict[str, Row]:
    return {
        p.item_id: (p.repetitions, p.interval, p.easiness, p.due, p.lapses, p.suspended)
        for p in progress(store)
    }


def _device_b(tmp_path: Path, decks: Path, name: str = "b") -> Store:
    """Another device with the same deck files (copied), and no progress."""
    folder = tmp_path / f"{name}-decks"
    shutil.copytree(decks, folder)
    store = open_store(str(tmp_path / f"{name}.db"))
    sync_decks(store, [r.deck for r in load_decks([folder]) if r.deck is not None])
    return store


def _check_anki(col: Collection, rows: dict[str, Row]) -> int:
    """The rows are Anki's state for every card (as test_from_anki expects); returns how
    many review cards were checked."""
    anki_today = col.sched.today
    reviews = 0
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        item_id = _expected_item(col, card_id)
        if item_id is None:
            continue
        _, interval, easiness, due, lapses, suspended = rows[item_id]
        if card.type == 2:
            assert due == TODAY + timedelta(days=card.due - anki_today), item_id
            assert (interval, easiness * 1000, lapses) == (  # type: ignore[operator]
                card.ivl,
                max(1300, card.factor),
                card.lapses,
            ), item_id
            reviews += 1
        elif card.type in (1, 3):
            assert (due, lapses) == (TODAY, card.lapses), item_id
        else:
            assert due is None, item_id
        assert suspended == (card.queue == -1), item_id
    return reviews


def _fsrs_seeds(store: Store) -> list[Row]:
    return store.read_dbapi(
        lambda conn: conn.execute(
            "SELECT deck_id, item_id, state, step, stability, difficulty, due_at, last_review,"
            " covers_until, sm2_due, source, seeded_at FROM fsrs_seed ORDER BY deck_id, item_id"
        ).fetchall()
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def remote(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLite file, or a PostgreSQL database (tests/pgserver.py) as the learner's role."""
    if request.param == "sqlite":
        url = str(tmp_path / "remote.db")
    else:
        server: PgServer = request.getfixturevalue("pg_server")
        database: str = request.getfixturevalue("pg_db")
        role = f"importer_{database[2:]}"  # roles are the server's: one per database
        server.role(role, "imp", database)
        url = server.url(database, role, "imp")
    init_remote(url)
    yield url


def test_imported_progress_reaches_another_device_and_converges(
    studied: Built, tmp_path: Path, remote: str
) -> None:
    package = studied.packages["all-current.colpkg"]  # type: ignore[attr-defined]
    ctx, out, _ = _import(tmp_path, package, "a")
    a = open_store(ctx.db)
    b = _device_b(tmp_path, out)
    sync(a, remote)
    result = sync(b, remote)
    assert result.waiting == 0
    rows_a, rows_b = _rows(a), _rows(b)
    assert rows_b == rows_a
    assert _check_anki(studied.col, rows_b) >= 10
    suspended = [item for item, row in rows_b.items() if row[5]]
    assert len(suspended) == 1
    queue_b = {c.item_id for c in todays_queue(b, None, TODAY, Settings(), seed=1)}
    assert suspended[0] not in queue_b
    assert len(review_log(b)) == len(review_log(a)) > 0

    # B answers a review item tomorrow: SM-2 moves from Anki's state, and A converges on it.
    item = next(i for i, row in rows_b.items() if row[3] is not None and not row[5])
    deck_id = next(p.deck_id for p in progress(b) if p.item_id == item)
    tomorrow = TODAY + timedelta(days=1)
    record_answer(
        b,
        deck_id=deck_id,
        item_id=item,
        grade=4,
        typed_answer=None,
        correct=None,
        duration_ms=900,
        now=NOW + timedelta(days=1),
        today=tomorrow,
    )
    before = next(p for p in progress(a) if p.item_id == item)
    expected = review(
        Sm2State.from_thousandths(
            before.repetitions, before.interval, int(before.easiness * 1000), before.due
        ),
        4,
        tomorrow,
    )
    for store in (b, a, b):
        sync(store, remote)
    rows_a, rows_b = _rows(a), _rows(b)
    assert rows_a == rows_b
    assert rows_a[item][:4] == (
        expected.repetitions,
        expected.interval,
        expected.easiness,
        expected.due,
    )
    assert [r.id for r in review_log(a)] != [] and sorted(
        (r.item_id, r.reviewed_at) for r in review_log(a)
    ) == sorted((r.item_id, r.reviewed_at) for r in review_log(b))
    a.close()
    b.close()


@pytest.mark.parametrize("studied", ["fsrs", "fsrs-preset"], indirect=True)
def test_fsrs_intervals_on_the_other_device_are_the_importers(
    studied: Built, tmp_path: Path, remote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With FSRS on, B replays from the same seeds (and the deck's Anki preset parameters,
    when it has its own): the same memory states, next intervals and due days as A."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = Settings(scheduler="fsrs")
    package = studied.packages["deck-current.apkg"]  # type: ignore[attr-defined]
    ctx, out, _ = _import(tmp_path, package, "a")
    a = open_store(ctx.db)
    b = _device_b(tmp_path, out)
    after = fsrs_after_item(settings)
    sync(a, remote, after_item=after)
    sync(b, remote, after_item=after)
    decks = sorted({p.deck_id for p in progress(a)})
    for store in (a, b):
        reconcile(store, decks, settings)
    compared = 0
    for p in progress(a):
        config = deck_config(a, settings, p.deck_id)
        assert config is not None
        state_a = item_fsrs_state(a, p.deck_id, p.item_id, config)
        state_b = item_fsrs_state(b, p.deck_id, p.item_id, config)
        assert state_b == state_a, p.item_id
        if state_a is None:
            continue
        moment = NOW + timedelta(days=2)
        spans_a = fsrs.preview(state_a, moment, config)
        assert fsrs.preview(state_b, moment, config) == spans_a
        compared += 1
    assert compared >= 15
    parameters = [fsrs_store.stored_parameters(s, "words") for s in (a, b)]
    assert parameters[0] == parameters[1]
    if studied.col.decks.get_config(1)["fsrsParams6"]:  # type: ignore[index]
        assert parameters[1] == pytest.approx(PARAMETERS, abs=1e-6)
    seeds_a, seeds_b = _fsrs_seeds(a), _fsrs_seeds(b)
    assert len(seeds_a) == compared and seeds_b == seeds_a
    assert {p.item_id: p.due for p in progress(b)} == {p.item_id: p.due for p in progress(a)}
    a.close()
    b.close()


@pytest.mark.parametrize("studied", ["fsrs"], indirect=True)  # some cards have no revlog
def test_a_device_that_gets_the_decks_after_the_events_applies_them(
    studied: Built, tmp_path: Path
) -> None:
    remote = str(tmp_path / "remote.db")
    init_remote(remote)
    package = studied.packages["all-current.colpkg"]  # type: ignore[attr-defined]
    ctx, out, _ = _import(tmp_path, package, "a")
    a = open_store(ctx.db)
    sync(a, remote)
    b = open_store(str(tmp_path / "b.db"))
    assert sync(b, remote).waiting == len(review_log(a))  # no decks yet: the answers wait
    b.close()
    b = _device_b(tmp_path, out)  # the deck files arrive
    assert sync(b, remote).waiting == 0
    assert _rows(b) == _rows(a)
    a.close()
    b.close()
