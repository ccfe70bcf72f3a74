"""Studying with or without a tag, on the bundled decks: `--without-tag beyond-notes` leaves
the cards beyond the notes out of the queue, the counts and the quiz draw; `--tag` keeps only
them; their progress stays as it was, their rows active.

Through the app's backend (the quick start's plain SQL and the store's), `quizapp decks`
and the settings file.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quizapp.config import load_settings
from quizapp.context import AppContext
from quizapp.deck.model import Deck
from quizapp.errors import QuizappError
from quizapp.paths import bundled_decks_dir
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.tags import TagFilter, item_filter
from quizapp.tui.backend import Backend
from tests.inprocess import run_quizapp

from .conftest import NOW, TODAY

TAG = "beyond-notes"


def tags_by_item(decks: tuple[Deck, ...]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for deck in decks:
        for card in deck.cards:
            for item_id in card.item_ids:
                found.setdefault((deck.id, item_id), {*deck.tags, *card.tags})
    return found


def card_rows(db: Path) -> list[tuple[str, str, int, object, object]]:
    import sqlite3

    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT cards.deck_id, cards.item_id, cards.active, card_state.due,"
            " card_state.repetitions FROM cards LEFT JOIN card_state"
            " ON card_state.deck_id = cards.deck_id AND card_state.item_id = cards.item_id"
            " ORDER BY 1, 2"
        ).fetchall()
    finally:
        conn.close()


async def studied_store(db: Path) -> tuple[dict[tuple[str, str], set[str]], list[str]]:
    """The bundled decks synced into `db`, with reviews due today and repeats pending in
    every deck, among cards with and without the tag. Returns every item's tags."""
    backend = Backend(AppContext(db=str(db), deck_dirs=(bundled_decks_dir(),)))
    data = await backend.load()
    tags = tags_by_item(data.decks)
    earlier = TODAY - timedelta(days=1)
    for deck in data.decks:
        tagged = [key for key in tags if key[0] == deck.id and TAG in tags[key]][:3]
        plain = [key for key in tags if key[0] == deck.id and TAG not in tags[key]][:3]
        for number, (deck_id, item_id) in enumerate(tagged + plain):
            one = Candidate(deck_id, item_id, None, 0)
            day = earlier if number % 2 == 0 else TODAY  # due today / a repeat today
            await backend.record(
                one,
                grade=4 if day == earlier else 1,
                typed=None,
                correct=None,
                duration_ms=1000,
                now=NOW,
                today=day,
            )
    backend.close()
    return tags, [deck.id for deck in data.decks]


@pytest.mark.parametrize(
    ("overrides", "wanted"),
    [
        ({"without_tags": (TAG,)}, lambda t: TAG not in t),
        ({"tags": (TAG,)}, lambda t: TAG in t),
    ],
)
async def test_the_queue_counts_and_quiz_keep_to_the_tag_filter(
    tmp_path: Path, overrides: dict[str, tuple[str, ...]], wanted: object
) -> None:
    db = tmp_path / "progress.db"
    tags, deck_ids = await studied_store(db)
    assert sum(TAG in t for t in tags.values()) >= 50  # the bundled decks do tag some
    before = card_rows(db)

    backend = Backend(
        AppContext(
            db=str(db),
            deck_dirs=(bundled_decks_dir(),),
            overrides={"new_per_day": 1000, "reviews_per_day": 10_000, **overrides},
        )
    )
    await backend.load()
    assert backend.quick_start  # the first queue read with plain SQL, then filtered
    queue, repeats = await backend.queue(None, TODAY, 7)
    summaries = await backend.summaries(TODAY)
    quiz = backend.all_items(deck_ids)
    backend.close()

    keep = wanted  # a predicate on an item's tag set
    assert callable(keep)
    allowed = {key for key, t in tags.items() if keep(t)}
    # Every studiable item the filter keeps, nothing else: new, due today and repeats.
    studied_ids = {c.key for c in queue}
    assert studied_ids == allowed
    assert repeats and all(c.key in allowed for c in repeats)
    assert {c.key for c in quiz} == allowed
    # The counts are the queue's, deck by deck.
    per_deck = Counter(c.deck_id for c in queue)
    assert {s.deck_id: s.total_today for s in summaries} == {d: per_deck[d] for d in deck_ids}
    assert {s.deck_id: s.cards for s in summaries} == dict(Counter(d for d, _ in allowed)) | {
        d: 0 for d in deck_ids if d not in {d for d, _ in allowed}
    }
    # The cards left out keep their progress, and stay active.
    assert card_rows(db) == before
    assert all(active == 1 for _, _, active, _, _ in before)


async def test_under_the_daily_limits_the_counts_still_agree_with_the_queue(
    tmp_path: Path,
) -> None:
    db = tmp_path / "progress.db"
    tags, deck_ids = await studied_store(db)
    overrides = {"without_tags": (TAG,)}
    backend = Backend(AppContext(db=str(db), deck_dirs=(bundled_decks_dir(),), overrides=overrides))
    await backend.load()
    queue, _ = await backend.queue(None, TODAY, 7)
    summaries = await backend.summaries(TODAY)
    backend.close()
    assert not any(TAG in tags[c.key] for c in queue)
    per_deck = Counter(c.deck_id for c in queue)
    assert {s.deck_id: s.total_today for s in summaries} == {d: per_deck[d] for d in deck_ids}
    # New cards fill each deck's limit of 20 (less its new cards answered today, tagged or
    # not: the limit is the learner's day) from the untagged cards alone.
    answered = card_rows(db)
    today = Counter(
        d for d, _, _, due, _ in answered if due == (TODAY + timedelta(days=1)).isoformat()
    )
    fresh = Counter(d for d, i, _, due, _ in answered if due is None and TAG not in tags[(d, i)])
    assert {s.deck_id: s.new for s in summaries} == {
        d: min(20 - today[d], fresh[d]) for d in deck_ids
    }
    assert {s.deck_id: s.new for s in summaries} == {
        d: sum(1 for c in queue if c.deck_id == d and c.is_new) for d in deck_ids
    }


def test_the_filter_compares_tags_case_insensitively_and_needs_one_of_the_tags() -> None:
    both = TagFilter(tags=("Docker", "swarm"), without_tags=("beyond-notes",))
    assert both.admits(["docker"])
    assert both.admits(["SWARM", "x"])
    assert not both.admits(["docker", "Beyond-Notes"])
    assert not both.admits(["x"])
    assert TagFilter().admits([]) and not TagFilter().active
    assert item_filter([], TagFilter()) is None


def test_the_settings_file_s_study_table_and_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('new_per_day = 5\n\n[study]\nwithout_tags = ["beyond-notes"]\n')
    assert load_settings(config).tag_filter == TagFilter((), ("beyond-notes",))
    # The command line's filter replaces the file's whole: --tag beyond-notes studies them.
    settings = load_settings(config, {"tags": ("beyond-notes",)})
    assert settings.tag_filter == TagFilter(("beyond-notes",), ())
    config.write_text('[study]\ntags = "docker"\n')
    with pytest.raises(QuizappError) as bad:
        load_settings(config)
    assert bad.value.message == (
        f'{config}:2:1: study.tags must be a list of tags, like ["beyond-notes"]'
    )
    config.write_text('[study]\nwithout = ["x"]\n')
    with pytest.raises(QuizappError) as unknown:
        load_settings(config)
    assert "2:1: unknown setting 'without' in [study]" in unknown.value.message


def run_decks(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    environ |= {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    rollover = (datetime.now().astimezone().hour + 12) % 24
    command = ["--rollover-hour", str(rollover), "--db", str(tmp_path / "p.db"), *args]
    return run_quizapp(command, env=environ)


def cards_column(output: str) -> dict[str, int]:
    return {
        line.split()[0]: int(line.split()[-5])
        for line in output.splitlines()
        if line.startswith("docker-")
    }


def test_quizapp_decks_counts_with_and_without_the_tag(tmp_path: Path) -> None:
    from quizapp.deckfiles import load_decks

    decks = tuple(r.deck for r in load_decks([bundled_decks_dir()]) if r.deck is not None)
    tags = tags_by_item(decks)
    untagged = Counter(d for (d, _), t in tags.items() if TAG not in t)
    tagged = Counter(d for (d, _), t in tags.items() if TAG in t)
    without = run_decks(tmp_path, "--without-tag", TAG, "decks")
    assert without.returncode == 0, without.stderr
    assert cards_column(without.stdout) == {d.id: untagged[d.id] for d in decks}
    assert "Counting only cards without tag beyond-notes." in without.stdout
    after = run_decks(tmp_path, "decks", "--tag", TAG)
    assert cards_column(after.stdout) == {d.id: tagged[d.id] for d in decks}
    # From the settings file, the same; a bad tag is one line.
    (tmp_path / "c" / "quizapp").mkdir(parents=True)
    (tmp_path / "c" / "quizapp" / "config.toml").write_text(f'[study]\nwithout_tags = ["{TAG}"]\n')
    assert cards_column(run_decks(tmp_path, "decks").stdout) == cards_column(without.stdout)
    bad = run_decks(tmp_path, "--tag", "a b", "decks")
    assert (bad.returncode, bad.stderr) == (
        1,
        "quizapp: error: --tag: a b is not a tag (a word, no spaces)\n",
    )
