"""Import from Anki keeps FSRS memory state: quizapp's FSRS goes on from where Anki left off.

A collection studied in the real Anki with FSRS on (simulated days, fuzz off: conftest.py) is
exported by Anki and imported with progress. For every card with a memory state, the next
interval quizapp shows for each grade is compared with Anki's own scheduling states for the
same card at the same moment. The tolerance is exactly Anki's button-order rule, which is
Anki's and not FSRS's (py-fsrs computes each rating's interval on its own): Anki lifts Good to
at least Hard + 1 day and Easy to at least Good + 1 day (`anki_button_order`). Again and Hard
must be equal; so must Good and Easy whenever the rule does not lift them.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions
from fsrs import Scheduler

from quizapp.ankiimport.command import run_import
from quizapp.context import AppContext
from quizapp.export.command import run_export
from quizapp.scheduling import fsrs
from quizapp.scheduling.day import study_day
from quizapp.scheduling.settings import Settings
from quizapp.storage import fsrs_store
from quizapp.storage.engine import open_store
from quizapp.storage.fsrs_schedule import preview_text
from quizapp.storage.repository import progress
from tests.export.samples import import_package

from .anki_collections import Built, answer, build, days_pass, export_all
from .test_from_anki import _expected_item

NOW = datetime.now(UTC)
ROLLOVER = 4
GRADES = (1, 3, 4, 5)
"""quizapp's grade for each Anki button: Again, Hard, Good, Easy."""
Span = tuple[str, int]
"""("s", seconds) for a (re)learning step, ("d", days) for a review interval."""


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("fsrs-seed")
    built = build(folder / "collection.anki2", fsrs=True, days=30, media=False, extra=40)
    # Anki's history is partial: the revlog of every third review card is deleted (as "Check
    # database" or a deleted history leave it), so only the seed holds their memory state.
    reviews = built.col.find_cards("is:review")
    for card_id in reviews[::3]:
        built.col.db.execute("DELETE FROM revlog WHERE cid = ?", card_id)
    built.packages = export_all(built, folder)  # type: ignore[attr-defined]
    return built


@pytest.fixture
def fsrs_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    config = tmp_path / "config" / "quizapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('scheduler = "fsrs"\ndesired_retention = 0.9\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return Settings(scheduler="fsrs")


def _import(tmp_path: Path, package: Path, name: str = "q") -> tuple[AppContext, str]:
    out = tmp_path / f"{name}-decks"
    ctx = AppContext(db=str(tmp_path / f"{name}.db"), deck_dirs=(out,))
    text = io.StringIO()
    assert run_import(ctx, package, out, [], True, text, now=NOW) == 0
    return ctx, text.getvalue()


def anki_spans(col: Collection, card_id: int) -> list[Span]:
    """Anki's next interval for Again, Hard, Good, Easy (its scheduling states, no fuzz)."""
    states = col._backend.get_scheduling_states(card_id)
    found: list[Span] = []
    for state in (states.again, states.hard, states.good, states.easy):
        normal = state.normal if state.HasField("normal") else state.filtered.preview
        kind = normal.WhichOneof("kind")
        if kind == "review":
            found.append(("d", normal.review.scheduled_days))
        elif kind == "learning":
            found.append(("s", normal.learning.scheduled_secs))
        else:
            found.append(("s", normal.relearning.learning.scheduled_secs))
    return found


def quizapp_spans(
    state: fsrs.FsrsState | None, config: fsrs.FsrsConfig, moment: datetime = NOW
) -> list[Span]:
    """What quizapp's FSRS does for each button at `moment` (the preview's own numbers)."""
    found: list[Span] = []
    previews = fsrs.preview(state, moment, config)
    for grade in GRADES:
        after = fsrs.review(state, grade, moment, config)
        span = previews[grade]
        found.append(("d", span.days) if not after.in_steps else ("s", int(span.total_seconds())))
    return found


def anki_button_order(
    spans: list[Span], state: fsrs.FsrsState | None, config: fsrs.FsrsConfig, moment: datetime
) -> list[Span]:
    """Anki's rule on top of FSRS's intervals: Good at least Hard + 1 day, Easy at least
    Good + 1 day (Good's FSRS interval, had it graduated, for a card in learning steps)."""
    again, hard, good, easy = spans
    if good[0] == "d" and hard[0] == "d":
        good = ("d", max(good[1], hard[1] + 1))
    good_days = good[1]
    if good[0] == "s":
        stability = fsrs.review(state, 4, moment, config).stability
        good_days = Scheduler(
            parameters=config.parameters, desired_retention=config.desired_retention
        )._next_interval(stability=stability)
    if easy[0] == "d":
        easy = ("d", max(easy[1], good_days + 1))
    return [again, hard, good, easy]


def _label(span: Span) -> str:
    unit, value = span
    return fsrs.format_span(timedelta(seconds=value) if unit == "s" else timedelta(days=value))


def _copy(built: Built, folder: Path) -> Built:
    """A copy of the studied collection, for a test that moves its days on."""
    built.col.close()
    shutil.copy(built.path, folder / "copy.anki2")
    built.col = Collection(str(built.path))
    return Built(folder / "copy.anki2", Collection(str(folder / "copy.anki2")))


def test_next_intervals_per_grade_are_ankis(
    studied: Built, tmp_path: Path, fsrs_config: Settings
) -> None:
    """Each card on the day it comes due (today for the learning, relearning and overdue
    ones), in Anki and in quizapp: the same next interval for each grade."""
    ctx, report = _import(tmp_path, studied.packages["deck-current.apkg"])  # type: ignore[attr-defined]
    compared, lifted = _compare_on_due_days(_copy(studied, tmp_path), ctx, fsrs_config)
    assert compared["review"] >= 40 and compared["learning"] >= 1 and compared["relearning"] >= 1
    assert lifted["good"] + lifted["easy"] < sum(compared.values())  # most are equal as they are
    assert "memory state of 58 cards" in report
    assert "put in config.toml" not in report  # FSRS at 0.9 already
    print(f"compared {dict(compared)}; lifted by Anki's button order: {dict(lifted)}")


PARAMETERS = [
    0.25, 1.1, 2.6, 9.0, 6.6, 0.55, 2.2, 0.004, 1.6, 0.11, 0.9,
    1.9, 0.1, 0.3, 2.2, 0.25, 3.0, 0.5, 0.3, 0.1, 0.2,
]  # fmt: skip
"""Parameters of a fitted-looking preset, none of them FSRS's defaults."""


def test_a_presets_parameters_and_retention_come_along(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build(
        tmp_path / "preset.anki2",
        fsrs=True,
        days=20,
        media=False,
        extra=20,
        preset=(PARAMETERS, 0.85),
    )
    packages = export_all(built, tmp_path)
    built.col.close()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("deck-current.apkg", "all-legacy.colpkg"):  # protobuf and JSON presets
        ctx, report = _import(tmp_path, packages[name], name=name.replace(".", "-"))
        assert '[decks.words]\n  scheduler = "fsrs"\n  desired_retention = 0.85\n' in report
        with open_store(ctx.db) as store:
            for deck_id in ("docker", "docker-networking", "words"):
                stored = fsrs_store.stored_parameters(store, deck_id)
                assert stored == pytest.approx(PARAMETERS, abs=1e-6)
    settings = Settings(scheduler="fsrs", desired_retention=0.85)
    built.col = Collection(str(built.path))
    compared, _ = _compare_on_due_days(_copy(built, tmp_path), ctx, settings)
    built.col.close()
    assert compared["review"] >= 20
    print(f"preset: compared {dict(compared)}")


def _compare_on_due_days(
    built: Built, ctx: AppContext, settings: Settings
) -> tuple[Counter[str], Counter[str]]:
    """Walk Anki's days forward to each card's due day and compare there, card by card:
    memory state, each grade's next interval, and the preview line quizapp shows."""
    col = built.col
    compared: Counter[str] = Counter()
    lifted: Counter[str] = Counter()
    waiting: dict[int, list[int]] = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        if card.memory_state is not None and _expected_item(col, card_id) is not None:
            later = max(0, card.due - col.sched.today) if card.type == 2 else 0
            waiting.setdefault(later, []).append(card_id)
    passed = 0
    with open_store(ctx.db) as store:
        decks = {p.item_id: p.deck_id for p in progress(store)}
        for later in sorted(waiting):
            col = days_pass(built, later - passed)
            passed = later
            moment = NOW + timedelta(days=later)
            for card_id in waiting[later]:
                card = col.get_card(card_id)
                assert card.memory_state is not None
                item_id = _expected_item(col, card_id)
                assert item_id is not None
                config = fsrs_store.deck_config(store, settings, decks[item_id])
                assert config is not None
                state = fsrs_store.item_fsrs_state(store, decks[item_id], item_id, config)
                assert state is not None, item_id
                assert state.stability == pytest.approx(card.memory_state.stability, abs=1e-4)
                assert state.difficulty == pytest.approx(card.memory_state.difficulty, abs=1e-3)
                ours = quizapp_spans(state, config, moment)
                anki = anki_spans(col, card_id)
                assert anki[:2] == ours[:2], (item_id, card.type, later, anki, ours)
                assert anki == anki_button_order(ours, state, config, moment), (item_id, anki)
                for name, a, q in zip(("good", "easy"), anki[2:], ours[2:], strict=True):
                    lifted[name] += a != q
                shown = store.read_dbapi(
                    lambda conn, i=item_id, m=moment: preview_text(
                        conn, settings, decks[i], i, m, study_day(m, ROLLOVER), False
                    )
                )
                labels = " · ".join(
                    f"{g} {_label(s)}" for g, s in zip(("0-2", "3", "4", "5"), ours, strict=True)
                )
                assert shown == f"next: {labels}"
                compared[{1: "learning", 2: "review", 3: "relearning"}[card.type]] += 1
    built.col.close()
    return compared, lifted


def test_answers_replay_on_top_of_the_seed_as_in_anki(
    studied: Built, tmp_path: Path, fsrs_config: Settings
) -> None:
    """The same answer in both apps at the same moment gives the same memory state."""
    ctx, _ = _import(tmp_path, studied.packages["all-current.colpkg"])  # type: ignore[attr-defined]
    built = _copy(studied, tmp_path)
    col = built.col
    config = fsrs.FsrsConfig()
    reviews = [
        cid
        for cid in col.find_cards("is:review -is:suspended")
        if _expected_item(col, cid) is not None
    ][:8]
    assert len(reviews) == 8
    with open_store(ctx.db) as store:
        items = {p.item_id: p.deck_id for p in progress(store)}
        for n, card_id in enumerate(reviews):
            grade = GRADES[n % 4]
            item_id = _expected_item(col, card_id)
            assert item_id is not None
            moment = datetime.now(UTC)
            answer(col, card_id, {1: 1, 3: 2, 4: 3, 5: 4}[grade])
            fsrs_store.record(
                store,
                fsrs_config,
                deck_id=items[item_id],
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=1000,
                now=moment,
                today=study_day(moment, ROLLOVER),
            )
            state = fsrs_store.item_fsrs_state(store, items[item_id], item_id, config)
            memory = col.get_card(card_id).memory_state
            assert state is not None and memory is not None
            assert state.stability == pytest.approx(memory.stability, rel=1e-3), item_id
            assert state.difficulty == pytest.approx(memory.difficulty, abs=1e-3), item_id
    built.col.close()


def test_switching_sm2_fsrs_sm2_keeps_ankis_days(
    studied: Built, tmp_path: Path, fsrs_config: Settings
) -> None:
    ctx, _ = _import(tmp_path, studied.packages["deck-legacy.apkg"])  # type: ignore[attr-defined]
    sm2 = Settings()
    with open_store(ctx.db) as store:
        decks = sorted({p.deck_id for p in progress(store)})
        imported = {(p.deck_id, p.item_id): p.due for p in progress(store)}
        config = fsrs.FsrsConfig()
        fsrs_store.reconcile(store, decks, fsrs_config)
        under_fsrs = {(p.deck_id, p.item_id): p.due for p in progress(store)}
        states = {d: fsrs_store.deck_fsrs_states(store, d, config) for d in decks}
        for (deck_id, item_id), due in under_fsrs.items():
            state = states[deck_id].get(item_id)
            if state is not None:
                assert due == state.due_day(ROLLOVER)
        reviews = [key for key, due in imported.items() if due and due > NOW.date()]
        assert reviews and all(under_fsrs[key] == imported[key] for key in reviews)
        fsrs_store.reconcile(store, decks, sm2)
        assert {(p.deck_id, p.item_id): p.due for p in progress(store)} == imported
        fsrs_store.reconcile(store, decks, fsrs_config)
        assert {(p.deck_id, p.item_id): p.due for p in progress(store)} == under_fsrs


def test_reimport_replaces_the_seed_and_keeps_one_per_item(
    studied: Built, tmp_path: Path, fsrs_config: Settings
) -> None:
    package = studied.packages["deck-current.apkg"]  # type: ignore[attr-defined]
    ctx, _ = _import(tmp_path, package)
    with open_store(ctx.db) as store:
        first = store.read_dbapi(lambda c: c.execute("SELECT * FROM fsrs_seed").fetchall())
    ctx, _ = _import(tmp_path, package)
    with open_store(ctx.db) as store:
        again = store.read_dbapi(lambda c: c.execute("SELECT * FROM fsrs_seed").fetchall())
    assert len(first) == 58
    assert [row[:10] for row in again] == [row[:10] for row in first]
    # Anki forgets a card (Reset: new again, no memory state): a re-import drops its seed.
    built = _copy(studied, tmp_path)
    (forgotten,) = built.col.find_cards("Front:Question*0*")
    built.col.sched.schedule_cards_as_new([forgotten])
    assert built.col.get_card(forgotten).memory_state is None
    later = tmp_path / "later.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
    )
    built.col.export_anki_package(out_path=str(later), options=options, limit=None)
    item = _expected_item(built.col, forgotten)
    built.col.close()
    ctx, _ = _import(tmp_path, later)
    with open_store(ctx.db) as store:
        left = store.read_dbapi(lambda c: c.execute("SELECT item_id FROM fsrs_seed").fetchall())
    assert sorted(left) == sorted((row[1],) for row in first if row[1] != item)


def test_export_back_to_anki_goes_on_from_the_same_point(
    studied: Built, tmp_path: Path, fsrs_config: Settings
) -> None:
    """Anki -> quizapp -> Anki: the second Anki shows the first one's next intervals."""
    col = studied.reopen()
    ctx, _ = _import(tmp_path, studied.packages["deck-current.apkg"])  # type: ignore[attr-defined]
    out = tmp_path / "back.apkg"
    assert run_export(ctx, out, [], True, io.StringIO()) == 0
    second = Collection(str(tmp_path / "second.anki2"))
    try:
        second.set_config("fsrs", True)
        import_package(second, out, with_scheduling=True)
        by_front = {}
        for cid in second.find_cards(""):
            card = second.get_card(cid)
            by_front[(card.note().fields[0], card.ord)] = cid
        compared = 0
        for card_id in col.find_cards("-is:suspended"):
            card = col.get_card(card_id)
            if (
                card.memory_state is None
                or card.type != 2
                or card.note().note_type()["name"] != "Basic"
            ):
                continue
            twin = by_front.get((re.sub(r"<[^>]+>", "", card.note().fields[0]), card.ord))
            if twin is None:
                continue
            other = second.get_card(twin)
            assert other.memory_state is not None
            assert other.memory_state.stability == pytest.approx(
                card.memory_state.stability, abs=1e-3
            ), (card.note().fields[0], card.type, card.queue, card.due, other.type, other.due)
            assert json.loads(second.db.scalar("SELECT data FROM cards WHERE id = ?", twin))
            assert anki_spans(second, twin) == anki_spans(col, card_id), card.question()
            compared += 1
        assert compared >= 30
    finally:
        second.close()
