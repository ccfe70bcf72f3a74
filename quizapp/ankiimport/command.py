"""`quizapp import anki FILE -o DIR`: read the package, write decks, media and progress.

All or nothing: the package is read and every deck written and validated in a staging folder
first; progress goes into the database in one transaction; only then are the files moved into
DIR. A failure at any step leaves DIR and the database as they were.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quizapp.ankiimport import collection as anki
from quizapp.ankiimport.fieldtext import MEDIA_FOLDER, html_to_text
from quizapp.ankiimport.notes import ImportedCard, convert_note
from quizapp.ankiimport.package import Package, PackageError, connect, open_package
from quizapp.ankiimport.progress import (
    AnkiCard,
    ItemState,
    Replay,
    Timing,
    anki_today,
    item_state,
    memory_state,
)
from quizapp.ankiimport.protobuf import ProtobufError
from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.draft.emit import card_entry, deck_head
from quizapp.errors import QuizappError
from quizapp.wording import counted

if TYPE_CHECKING:
    from quizapp.context import AppContext
    from quizapp.scheduling.settings import Settings
    from quizapp.storage.dbapi import Conversions

EXIT_USAGE = 2
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class _DeckPlan:
    anki_id: int
    name: str
    description: str
    cards: list[ImportedCard] = field(default_factory=list)
    deck_id: str = ""
    deck: Deck | None = None
    card_count: int = 0


@dataclass(slots=True)
class ImportPlan:
    """Everything read from the package, before anything is written."""

    decks: list[_DeckPlan]
    notes: int
    media: dict[str, str]
    """Media file name -> zip member, of the files the cards name."""
    warnings: list[str]
    items: dict[int, tuple[int, str]]
    """Anki card id -> (Anki deck id, quizapp item id)."""
    cards: dict[int, AnkiCard]
    fsrs: bool
    timing: Timing
    presets: dict[int, anki.AnkiPreset] = field(default_factory=dict)
    """Anki deck id -> its options preset (FSRS parameters, desired retention)."""


@dataclass(frozen=True, slots=True)
class ProgressReport:
    studied: int = 0
    suspended: int = 0
    learning: int = 0
    reviews: int = 0
    seeded: int = 0
    """Items whose FSRS memory state was kept (a seed)."""
    fsrs_hints: tuple[str, ...] = ()
    """config.toml lines that make quizapp schedule the FSRS decks as Anki did."""


def run_import(
    ctx: AppContext,
    file: Path,
    output: Path,
    deck_names: Sequence[str],
    with_progress: bool,
    out: TextIO,
    now: datetime | None = None,
) -> int:
    """Import `file` into the folder `output` (and the database, with progress); return 0."""
    now = now or datetime.now(UTC)
    target = _check_output(output)
    with tempfile.TemporaryDirectory(prefix="quizapp-import-") as work:
        package = open_package(file)
        try:
            extracted = Path(work) / "collection.sqlite"
            try:
                package.extract_collection(extracted)
            except OSError as error:
                raise QuizappError(f"cannot unpack {file}: {error.strerror or error}") from None
            db = connect(extracted)
            try:
                plan = _read_plan(db, package, deck_names, file)
                _write(ctx, plan, package, db, target, file, with_progress, now, out)
            except (sqlite3.Error, ValueError, KeyError, TypeError, ProtobufError) as error:
                if isinstance(error, QuizappError):
                    raise
                raise PackageError(
                    f"{file} is not an Anki package quizapp can read: its collection is damaged "
                    f"({type(error).__name__}: {error}); nothing was written"
                ) from None
            finally:
                db.close()
        finally:
            package.close()
    return 0


def _check_output(output: Path) -> Path:
    target = output.expanduser()
    if target.exists() and not target.is_dir():
        raise QuizappError(f"cannot write decks into {output}: it is a file, not a folder", 2)
    if not target.exists() and not target.parent.is_dir():
        raise QuizappError(f"cannot write decks into {output}: {target.parent} does not exist", 2)
    return target


# --- reading ------------------------------------------------------------------------------


def _read_plan(
    db: sqlite3.Connection, package: Package, deck_names: Sequence[str], file: Path
) -> ImportPlan:
    col = anki.read_collection(db)
    chosen = _chosen_decks(col, deck_names, file)
    by_note: dict[int, list[AnkiCard]] = {}
    cards: dict[int, AnkiCard] = {}
    for card in anki.read_cards(db):
        if chosen is None or card.home_deck in chosen:
            by_note.setdefault(card.note_id, []).append(card)
            cards[card.id] = card
    plans: dict[int, _DeckPlan] = {}
    warnings: list[str] = []
    fallbacks: Counter[str] = Counter()
    missing_types = 0
    media: list[str] = []
    items: dict[int, tuple[int, str]] = {}
    notes = 0
    for note in anki.read_notes(db):
        note_cards = by_note.get(note.id)
        if not note_cards:
            continue
        notetype = col.notetypes.get(note.notetype_id)
        if notetype is None:
            missing_types += 1
            continue
        converted = convert_note(note, notetype, [c.ord for c in note_cards])
        warnings.extend(converted.warnings)
        media.extend(converted.media)
        if converted.fallback:
            fallbacks[notetype.name] += 1
        if not converted.cards:
            continue
        notes += 1
        by_ord = {c.ord: c for c in note_cards}
        for imported in converted.cards:
            anki_cards = [by_ord[o] for o in sorted(imported.items) if o in by_ord]
            home = anki_cards[0].home_deck if anki_cards else note_cards[0].home_deck
            deck = plans.get(home)
            if deck is None:
                info = col.decks.get(home)
                name = info.name if info else f"Deck {home}"
                description = html_to_text(info.description) if info else ""
                deck = plans[home] = _DeckPlan(home, name, description)
            deck.cards.append(imported)
            for ord_, item_id in imported.items.items():
                anki_card = by_ord.get(ord_)
                if anki_card is not None:
                    items[anki_card.id] = (home, item_id)
    for name, count in sorted(fallbacks.items()):
        warnings.insert(
            0,
            f"note type {name!r}: {count} note{'s' if count != 1 else ''} imported as basic "
            "cards (first field as the front, the other fields as the back)",
        )
    if missing_types:
        warnings.append(f"{missing_types} notes have no note type in the package; left out")
    wanted: dict[str, str] = {}
    for name in dict.fromkeys(media):
        member = package.media.get(name)
        if member is None:
            warnings.append(f"media file {name!r} is named by a card but not in the package")
        else:
            wanted[name] = member
    decks = sorted(plans.values(), key=lambda d: d.name.casefold())
    presets = {}
    for home in plans:
        info = col.decks.get(home)
        preset = col.presets.get(info.preset_id if info else 1)
        if preset is not None:
            presets[home] = preset
    return ImportPlan(decks, notes, wanted, warnings, items, cards, col.fsrs, col.timing, presets)


def _chosen_decks(col: anki.Collection, names: Sequence[str], file: Path) -> set[int] | None:
    """The Anki deck ids named (with their subdecks); None for every deck."""
    if not names:
        return None
    chosen: set[int] = set()
    unknown = []
    for name in names:
        key = "::".join(level.strip() for level in name.split("::")).casefold()
        found = {
            deck_id
            for deck_id, deck in col.decks.items()
            if deck.name.casefold() == key or deck.name.casefold().startswith(key + "::")
        }
        if not found:
            unknown.append(name)
        chosen |= found
    if unknown:
        known = ", ".join(sorted((d.name for d in col.decks.values()), key=str.casefold))
        raise QuizappError(
            f"no deck {', '.join(repr(n) for n in unknown)} in {file}; its decks: {known}",
            EXIT_USAGE,
        )
    return chosen


# --- the decks as YAML ----------------------------------------------------------------------


def deck_id_for(name: str, taken: set[str]) -> str:
    """A valid deck id from an Anki deck name, not in `taken` (which it is added to)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_RE.sub("-", ascii_name.lower()).strip("-")[:56].strip("-") or "anki-deck"
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _card_fields(card: Card) -> dict[str, str | Sequence[str] | Mapping[str, Sequence[str]]]:
    match card:
        case BasicCard():
            fields: dict[str, str | Sequence[str] | Mapping[str, Sequence[str]]] = {
                "front": card.front,
                "back": card.back,
            }
        case CommandCard():
            fields = {"prompt": card.prompt, "answer": card.answer}
            if card.prefix:
                fields["prefix"] = card.prefix
        case ClozeCard():
            fields = {"text": card.text}
            if card.alternatives:
                fields["alternatives"] = {f"c{n}": answers for n, answers in card.alternatives}
        case ChoiceCard():
            fields = {"question": card.question, "choices": card.choices, "answer": card.answer}
    if card.explain:
        fields["explain"] = card.explain
    return fields


def deck_text(plan: _DeckPlan, source: str) -> str:
    """The deck file: tags every card shares become the deck's tags."""
    shared: set[str] | None = None
    for imported in plan.cards:
        tags = set(imported.card.tags)
        shared = tags if shared is None else shared & tags
    deck_tags = [tag for tag in plan.cards[0].card.tags if tag in (shared or set())]
    comments = [
        f"Imported from Anki by `quizapp import anki` (deck {plan.name!r} of {source}).",
        "Card ids come from the Anki notes: importing again updates these cards.",
    ]
    head = deck_head(
        comments, plan.deck_id, plan.name, description=plan.description or None, tags=deck_tags
    )
    parts = [head]
    for imported in plan.cards:
        card = imported.card
        card_tags = [tag for tag in card.tags if tag not in (shared or set())]
        parts.append("\n")
        parts.append(
            card_entry(
                card.id, card.kind.value, _card_fields(card), section=card.section, tags=card_tags
            )
        )
    return "".join(parts)


def _prepare_decks(
    plan: ImportPlan,
    target: Path,
    taken: set[str],
    earlier: dict[str, str],
    source: str,
    staging: Path,
) -> None:
    """Each deck's file, written into `staging` once the loader has read it with no error.

    The loaded deck (named by its final path) is what the database sync gets; the converted
    cards and the text are dropped as each deck is done, so only one copy of the cards stays.
    """
    from quizapp.deckfiles import load_deck_text

    for deck in plan.decks:
        again = earlier.get(deck.name)
        if again is not None and again not in taken:
            deck.deck_id = again
            taken.add(again)
        else:
            deck.deck_id = deck_id_for(deck.name, taken)
        _unique_card_ids(deck)
        text = deck_text(deck, source)
        result = load_deck_text(text, target / f"{deck.deck_id}.yaml")
        if result.errors or result.deck is None:
            problems = "; ".join(str(p) for p in result.errors[:3])
            raise QuizappError(f"the deck written for {deck.name!r} does not validate: {problems}")
        (staging / f"{deck.deck_id}.yaml").write_text(text, encoding="utf-8")
        deck.deck = result.deck
        deck.card_count = len(deck.cards)
        deck.cards = []


def _unique_card_ids(deck: _DeckPlan) -> None:
    """Two notes whose GUIDs hash alike (or a copied GUID) must not share a card id."""
    seen: set[str] = set()
    for index, imported in enumerate(deck.cards):
        card = imported.card
        if card.id not in seen:
            seen.add(card.id)
            continue
        number = 2
        while f"{card.id}-{number}" in seen:
            number += 1
        new_id = f"{card.id}-{number}"
        seen.add(new_id)
        items = {o: item.replace(card.id, new_id, 1) for o, item in imported.items.items()}
        deck.cards[index] = ImportedCard(replace(card, id=new_id), items)


def _deck_ids(ctx: AppContext, target: Path, plan: ImportPlan) -> tuple[set[str], dict[str, str]]:
    """The deck ids other deck files hold, and the id each Anki deck got when it was imported
    into `target` before (its file is replaced, so importing again keeps the id)."""
    from quizapp.deck_cache import DeckCache
    from quizapp.deckfiles import load_deck, load_decks

    names = {deck.name for deck in plan.decks}
    earlier: dict[str, str] = {}
    ours: set[Path] = set()
    taken: set[str] = set()
    if target.is_dir():
        for path in sorted(target.glob("*.y*ml")):
            deck = load_deck(path).deck
            if deck is not None and deck.title in names and path.stem == deck.id:
                earlier.setdefault(deck.title, deck.id)
                ours.add(path.resolve())
            else:  # a deck of its own: never overwritten, its id never reused
                taken.add(path.stem)
                if deck is not None:
                    taken.add(deck.id)
    for result in load_decks(list(ctx.deck_dirs), DeckCache.default()):
        if result.deck is not None and result.path.resolve() not in ours:
            taken.add(result.deck.id)
    return taken, earlier


# --- writing --------------------------------------------------------------------------------


def _write(
    ctx: AppContext,
    plan: ImportPlan,
    package: Package,
    db: sqlite3.Connection,
    target: Path,
    file: Path,
    with_progress: bool,
    now: datetime,
    out: TextIO,
) -> None:
    if not plan.decks:
        raise QuizappError(f"{file} holds no cards to import; nothing was written")
    taken, earlier = _deck_ids(ctx, target, plan)
    staging = _staging(target)
    try:
        _prepare_decks(plan, target, taken, earlier, file.name, staging)
        if plan.media:
            (staging / MEDIA_FOLDER).mkdir()
            for name in plan.media:
                package.extract_media(name, staging / MEDIA_FOLDER / name)
        report = ProgressReport()
        if with_progress:
            report = _write_progress(ctx, plan, db, now)
        _move_into_place(staging, target)
    except OSError as error:
        raise QuizappError(
            f"cannot write into {target}: {error.strerror or error}; nothing was written"
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _print_report(plan, report, target, file, with_progress, out)


def _staging(target: Path) -> Path:
    if target.is_dir():
        return Path(tempfile.mkdtemp(prefix=".quizapp-import-", dir=target))
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))


def _move_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    for path in sorted(staging.glob("*.yaml")):
        os.replace(path, target / path.name)
    media = staging / MEDIA_FOLDER
    if media.is_dir():
        (target / MEDIA_FOLDER).mkdir(exist_ok=True)
        for path in media.iterdir():
            os.replace(path, target / MEDIA_FOLDER / path.name)


# --- progress -------------------------------------------------------------------------------

_UPSERT_STATE_SQL = (
    "INSERT INTO card_state (deck_id, item_id, repetitions, interval, easiness_milli, due,"
    " lapses, last_review, buried_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (deck_id, item_id) DO UPDATE SET repetitions = excluded.repetitions,"
    " interval = excluded.interval, easiness_milli = excluded.easiness_milli,"
    " due = excluded.due, lapses = excluded.lapses, last_review = excluded.last_review,"
    " buried_until = excluded.buried_until"
)
_UPSERT_SEED_SQL = (
    "INSERT INTO fsrs_seed (deck_id, item_id, state, step, stability, difficulty, due_at,"
    " last_review, covers_until, sm2_due, source, seeded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anki', ?)"
    " ON CONFLICT (deck_id, item_id) DO UPDATE SET state = excluded.state,"
    " step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty,"
    " due_at = excluded.due_at, last_review = excluded.last_review,"
    " covers_until = excluded.covers_until, sm2_due = excluded.sm2_due,"
    " source = excluded.source, seeded_at = excluded.seeded_at"
)
_DROP_SEED_SQL = "DELETE FROM fsrs_seed WHERE deck_id = ? AND item_id = ?"
_ANKI_PARAMETERS_SQL = (
    "INSERT INTO deck_scheduler (deck_id, schedule, parameters, fitted_reviews, fitted_at)"
    " VALUES (?, NULL, ?, NULL, ?) ON CONFLICT (deck_id) DO UPDATE SET"
    " parameters = excluded.parameters, fitted_reviews = NULL, fitted_at = excluded.fitted_at"
)
_STALE_SCHEDULE_SQL = "UPDATE deck_scheduler SET schedule = NULL WHERE deck_id = ?"
"""The import wrote the deck's due days (Anki's): they follow no FSRS configuration until
`fsrs_store.reconcile` recomputes them at the next start (from the seeds and the log)."""
_REVIEW_COLUMNS = (
    "deck_id, item_id, reviewed_at, day, grade, typed_answer, correct, duration_ms,"
    " session_kind, repeat, repetitions_before, interval_before, easiness_milli_before,"
    " due_before, lapses_before, last_review_before, repetitions_after, interval_after,"
    " easiness_milli_after, due_after, lapses_after"
)
_INSERT_REVIEW_SQL = (
    f"INSERT INTO review_log ({_REVIEW_COLUMNS})"
    " VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_NEW_REVIEW_SQL = (
    f"INSERT INTO review_log ({_REVIEW_COLUMNS})"
    " SELECT ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
    " WHERE NOT EXISTS (SELECT 1 FROM review_log WHERE deck_id = ? AND item_id = ?"
    " AND reviewed_at = ?)"
)


def _write_progress(
    ctx: AppContext, plan: ImportPlan, db: sqlite3.Connection, now: datetime
) -> ProgressReport:
    from quizapp.config import load_settings
    from quizapp.paths import config_file
    from quizapp.scheduling.day import study_day
    from quizapp.storage.backup import daily_backup_of
    from quizapp.storage.repository import SUSPENDED_UNTIL, open_store
    from quizapp.storage.sync import sync_decks_in

    settings = load_settings(config_file(), ctx.overrides)
    rollover = settings.rollover_hour
    today = study_day(now, rollover)
    today_number = anki_today(plan.timing, now)
    deck_ids = {deck.anki_id: deck.deck_id for deck in plan.decks}
    decks = [deck.deck for deck in plan.decks if deck.deck is not None]
    items = {cid: (deck_ids[did], item) for cid, (did, item) in plan.items.items()}
    store = open_store(ctx.db)
    try:
        daily_backup_of(store, now)

        def work(session: object) -> ProgressReport:
            from sqlalchemy.orm import Session

            from quizapp.storage.dbapi import conversions

            assert isinstance(session, Session)
            sync_decks_in(session, decks, deactivate_missing=False)
            connection = session.connection()
            raw: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
            convert = conversions(connection.dialect)
            raw.execute("PRAGMA cache_size = -32768")  # 32 MiB: the indexes of a long log
            reviews = _insert_reviews(raw, convert, plan, db, items, rollover, deck_ids.values())
            states: list[tuple[tuple[str, str], ItemState]] = []
            for card_id, item in items.items():
                replayed = reviews.repetitions.get(item)
                state = item_state(plan.cards[card_id], today_number, today, replayed)
                if state.due is not None or state.suspended:
                    states.append((item, state))
            raw.executemany(
                _UPSERT_STATE_SQL,
                (
                    (
                        deck_id,
                        item_id,
                        s.repetitions,
                        s.interval,
                        s.easiness_milli,
                        convert.date_in(s.due),
                        s.lapses,
                        reviews.last.get((deck_id, item_id)) if s.due is not None else None,
                        convert.date_in(SUSPENDED_UNTIL) if s.suspended else None,
                    )
                    for (deck_id, item_id), s in states
                ),
            )
            fsrs_seeds: dict[tuple[str, str], dict[str, object]] = {}
            seeded = _write_seeds(
                raw,
                convert,
                plan,
                reviews.last_answer,
                items,
                states,
                (today_number, today, rollover),
                now,
                fsrs_seeds,
            )
            _seed_events(raw, convert, reviews, states, fsrs_seeds, now)
            return ProgressReport(
                studied=sum(1 for _, s in states if s.due is not None),
                suspended=sum(1 for _, s in states if s.suspended),
                learning=sum(1 for _, s in states if s.learning),
                reviews=reviews.count,
                seeded=len(seeded),
                fsrs_hints=_fsrs_hints(plan, settings, {deck_id for deck_id, _ in seeded}),
            )

        return store.write(work)
    finally:
        store.close()


def _write_seeds(
    raw: sqlite3.Connection,
    convert: Conversions,
    plan: ImportPlan,
    last: dict[tuple[str, str], int],
    items: dict[int, tuple[str, str]],
    states: list[tuple[tuple[str, str], ItemState]],
    days: tuple[int, date, int],
    now: datetime,
    kept: dict[tuple[str, str], dict[str, object]],
) -> list[tuple[str, str]]:
    """Keep each FSRS card's memory state as its item's seed (replacing an earlier import's),
    and the FSRS parameters of each deck's Anki preset; returns the items seeded. `kept`
    gets each seed's fields (`events.FSRS_SEED_FIELDS`), for the item's seed event.

    A card has a memory state when Anki's FSRS computed one (a deck package does not say
    whether the collection has FSRS on, its cards' data does). Cards without one lose any seed
    an earlier import left: the state just written is Anki's newer word on them."""
    from quizapp.scheduling import fsrs as fsrs_scheduling

    today_number, today, rollover = days
    sm2_due = {item: s.due for item, s in states}
    steps = fsrs_scheduling.step_counts()
    seeds, dropped = [], []
    for card_id, (deck_id, item_id) in items.items():
        card = plan.cards[card_id]
        found = memory_state(
            card, today_number, today, rollover, last.get((deck_id, item_id)), steps
        )
        if found is None:
            dropped.append((deck_id, item_id))
            continue
        kept[(deck_id, item_id)] = {
            "state": found.state,
            "step": found.step,
            "stability": found.stability,
            "difficulty": found.difficulty,
            "due_at": found.due_at,
            "last_review": found.last_review,
            "covers_until": found.covers_until,
            "sm2_due": sm2_due.get((deck_id, item_id)),
            "source": "anki",
            "seeded_at": now,
        }
        preset = plan.presets.get(card.home_deck)
        if preset is not None and preset.parameters:
            kept[(deck_id, item_id)]["parameters"] = list(preset.parameters)
        seeds.append(
            (
                deck_id,
                item_id,
                found.state,
                found.step,
                found.stability,
                found.difficulty,
                convert.time_in(found.due_at),
                convert.time_in(found.last_review),
                convert.time_in(found.covers_until),
                convert.date_in(sm2_due.get((deck_id, item_id))),
                convert.time_in(now),
            )
        )
    wanted = [deck.deck_id for deck in plan.decks]
    marks = ", ".join("?" * len(wanted))
    (had_seeds,) = raw.execute(
        f"SELECT EXISTS (SELECT 1 FROM fsrs_seed WHERE deck_id IN ({marks}))", wanted
    ).fetchone()
    if had_seeds:  # a first import has none to drop (and may have 100,000 items)
        raw.executemany(_DROP_SEED_SQL, dropped)
    raw.executemany(_UPSERT_SEED_SQL, seeds)
    for deck in plan.decks:
        raw.execute(_STALE_SCHEDULE_SQL, (deck.deck_id,))
        preset = plan.presets.get(deck.anki_id)
        if seeds and preset is not None and preset.parameters:
            raw.execute(
                _ANKI_PARAMETERS_SQL,
                (deck.deck_id, json.dumps(list(preset.parameters)), convert.time_in(now)),
            )
    return [(row[0], row[1]) for row in seeds]


_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST_ANSWERS_SQL = (
    "SELECT item_id, max(reviewed_at) FROM review_log WHERE deck_id = ? GROUP BY item_id"
)
_BURIED_ITEMS_SQL = "SELECT DISTINCT deck_id, item_id FROM sync_events WHERE kind = 'bury'"


def _seed_events(
    raw: sqlite3.Connection,
    convert: Conversions,
    reviews: _Inserted,
    states: list[tuple[tuple[str, str], ItemState]],
    fsrs_seeds: dict[tuple[str, str], dict[str, object]],
    now: datetime,
) -> None:
    """The imported state of each item as a seed event, and its suspension as a bury event
    (an item an earlier import or a device buried is unburied), so that device sync carries
    them: every device's replay of the item starts from Anki's state (`storage.events`).

    A seed covers the item's imported answers: its time is the item's last Anki answer (the
    import's time when the revlog has none)."""
    from quizapp.storage import events
    from quizapp.storage.repository import SUSPENDED_UNTIL

    buried = {tuple(row) for row in raw.execute(_BURIED_ITEMS_SQL)}
    seeds: list[tuple[str, str, datetime, str]] = []
    burials: list[tuple[str, str, date | None]] = []
    for item, s in states:
        answered = reviews.last_answer.get(item)
        at = now if answered is None else _EPOCH_UTC + timedelta(milliseconds=answered)
        last = reviews.last.get(item) if s.due is not None else None
        payload = events.seed_payload(
            (s.repetitions, s.interval, s.easiness_milli, s.due),
            s.lapses,
            None if last is None else convert.time_out(last),
            fsrs_seeds.get(item),
        )
        seeds.append((item[0], item[1], at, payload))
        if s.suspended:
            burials.append((item[0], item[1], SUSPENDED_UNTIL))
        elif item in buried:
            burials.append((item[0], item[1], None))
    events.add_seeds(raw, convert, seeds)
    events.add_burials(raw, convert, burials, now)
    # An item answered in quizapp after its last Anki answer (imported again later): the
    # replay puts those answers on top of Anki's state, as every other device will.
    covered = {(deck_id, item_id): convert.time_in(at) for deck_id, item_id, at, _ in seeds}
    for deck_id in sorted({deck_id for deck_id, _ in covered}):
        for item_id, latest in raw.execute(_LATEST_ANSWERS_SQL, (deck_id,)).fetchall():
            horizon = covered.get((deck_id, item_id))
            if horizon is not None and latest > horizon:
                events.rebuild_item(raw, convert, deck_id, item_id)


def _fsrs_hints(plan: ImportPlan, settings: Settings, seeded: set[str]) -> tuple[str, ...]:
    """The config.toml lines that make quizapp schedule each deck with seeded items with FSRS
    at the retention its Anki preset aims at (none for decks already set so)."""
    from quizapp.scheduling.settings import DEFAULT_DESIRED_RETENTION

    lines: list[str] = []
    for deck in plan.decks:
        if deck.deck_id not in seeded:
            continue
        preset = plan.presets.get(deck.anki_id)
        retention = DEFAULT_DESIRED_RETENTION
        if preset is not None and preset.desired_retention:
            retention = preset.desired_retention
        if (
            settings.scheduler_for(deck.deck_id) == "fsrs"
            and abs(settings.retention_for(deck.deck_id) - retention) < 1e-9
        ):
            continue
        lines += [
            f"[decks.{deck.deck_id}]",
            'scheduler = "fsrs"',
            f"desired_retention = {retention:g}",
        ]
    return tuple(lines)


class TimeText:
    """Answer times (ms since the epoch) as the review log stores them, made fast.

    The same text as the column's own conversion (`convert.time_in`, a test holds them equal),
    from integers: the date part is converted once a day, the rest is formatted directly.
    A million answers take a second less than through datetimes.
    """

    def __init__(self, convert: Conversions) -> None:
        self._convert = convert
        self._dates: dict[int, str] = {}

    def __call__(self, ms: int) -> str:
        secs, milli = divmod(ms, 1000)
        days, rest = divmod(secs, 86_400)
        stamp = self._dates.get(days)
        if stamp is None:
            midnight = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=days)
            stamp = self._dates[days] = self._convert.time_in(midnight)[:10]
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{stamp} {hours:02d}:{minutes:02d}:{seconds:02d}.{milli:03d}000"


@dataclass(slots=True)
class _Inserted:
    count: int = 0
    last: dict[tuple[str, str], str] = field(default_factory=dict)
    """Per item, the stored time of its last answer that moved its state."""
    repetitions: dict[tuple[str, str], int] = field(default_factory=dict)
    """Per item, SM-2's repetitions after that answer."""
    last_answer: dict[tuple[str, str], int] = field(default_factory=dict)
    """Per item, its last answer of any kind (ms since the epoch)."""


_BULK_ROWS = 100_000
"""Past this many new rows (and more than the log holds), indexes are rebuilt, not updated."""


def _insert_reviews(
    raw: sqlite3.Connection,
    convert: Conversions,
    plan: ImportPlan,
    db: sqlite3.Connection,
    items: dict[int, tuple[str, str]],
    rollover: int,
    deck_ids: Iterable[str],
) -> _Inserted:
    """Stream the revlog into review_log; a re-import adds only answers not there yet."""
    from quizapp.scheduling.day import study_day

    wanted = list(deck_ids)
    placeholders = ", ".join("?" for _ in wanted)
    (had_reviews,) = raw.execute(
        f"SELECT EXISTS (SELECT 1 FROM review_log WHERE deck_id IN ({placeholders}))", wanted
    ).fetchone()
    incoming = anki.count_revlog(db)
    (existing,) = raw.execute("SELECT COUNT(*) FROM review_log").fetchone()
    indexes: list[tuple[str, str]] = []
    if not had_reviews and incoming > _BULK_ROWS and incoming > existing:
        # Filling the table, then indexing it, is about twice as fast as updating four
        # indexes row by row; the DDL is part of this transaction like the rows.
        indexes = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_log'"
            " AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            raw.execute(f'DROP INDEX "{name}"')
    replay = Replay(
        anki.read_revlog(db),
        items,
        lambda moment: study_day(moment, rollover),
        TimeText(convert),
        convert.date_in,
    )
    done = _Inserted(
        last=replay.last_review,  # type: ignore[arg-type]
        repetitions=replay.repetitions,
        last_answer=replay.last_answer,
    )

    def rows() -> Iterator[tuple[object, ...]]:
        for row in replay:
            done.count += 1
            yield row

    def rows_not_there() -> Iterator[tuple[object, ...]]:
        for row in rows():
            yield (*row, row[0], row[1], row[2])

    if had_reviews:
        raw.executemany(_INSERT_NEW_REVIEW_SQL, rows_not_there())
    else:
        raw.executemany(_INSERT_REVIEW_SQL, rows())
    for _, sql in indexes:
        raw.execute(sql)
    return done


# --- the report -----------------------------------------------------------------------------


def _print_report(
    plan: ImportPlan,
    report: ProgressReport,
    target: Path,
    file: Path,
    with_progress: bool,
    out: TextIO,
) -> None:
    cards = sum(deck.card_count for deck in plan.decks)
    out.write(
        f"Imported {file.name} into {target}: {counted(len(plan.decks), 'deck')}, "
        f"{counted(plan.notes, 'note')}, {counted(cards, 'card')}, "
        f"{counted(len(plan.media), 'media file')}.\n"
    )
    for deck in plan.decks:
        deck_cards = counted(deck.card_count, "card")
        out.write(f"  {_printable(deck.name)} -> {deck.deck_id}.yaml: {deck_cards}\n")
    if with_progress:
        fsrs = ""
        if plan.fsrs or report.seeded:
            fsrs = (
                f" (FSRS: due days and intervals kept, and the memory state of "
                f"{counted(report.seeded, 'card')})"
            )
        out.write(
            f"With progress: {counted(report.studied, 'studied item')}, "
            f"{report.learning} learning due today, {report.suspended} suspended, "
            f"{counted(report.reviews, 'review')}{fsrs}.\n"
        )
        if report.fsrs_hints:
            out.write("To go on with FSRS from where Anki left off, put in config.toml:\n")
            for line in report.fsrs_hints:
                out.write(f"  {line}\n")
    if plan.media:
        out.write(f"Media files are in {target / MEDIA_FOLDER}; cards name them as [image: ...].\n")
    if plan.warnings:
        out.write(f"{counted(len(plan.warnings), 'warning')}:\n")
        for warning in plan.warnings:
            out.write(f"  warning: {_printable(warning)}\n")
    out.write(f"Study them with: quizapp --decks {target}\n")


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)
