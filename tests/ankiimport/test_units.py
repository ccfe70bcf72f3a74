"""The pure parts of the import: field HTML, note types, cloze flattening, ids, days, times."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection
from sqlalchemy.dialects import sqlite as sqlite_dialect

from quizapp.ankiimport.collection import read_collection
from quizapp.ankiimport.command import TimeText, deck_id_for
from quizapp.ankiimport.fieldtext import html_to_text
from quizapp.ankiimport.notes import (
    Note,
    NoteType,
    Template,
    convert_note,
    flatten_cloze,
    is_shell_command,
    split_tags,
)
from quizapp.ankiimport.progress import (
    GRADE_FOR_EASE,
    AnkiCard,
    MemoryState,
    anki_today,
    memory_state,
)
from quizapp.ankiimport.protobuf import ProtobufError, message
from quizapp.context import AppContext
from quizapp.deckfiles import load_deck_text
from quizapp.scheduling.day import day_start, study_day
from quizapp.scheduling.settings import Settings
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import open_store
from quizapp.storage.reports import print_decks
from quizapp.storage.repository import suspend
from quizapp.storage.sync import sync_decks
from tests.storage.helpers import item_state, todays_queue


@pytest.mark.parametrize(
    ("html", "text", "media"),
    [
        ("plain", "plain", []),
        ("a<br>b<br/>c", "a\nb\nc", []),
        ("<div>one</div><div>two</div>", "one\ntwo", []),
        ("run <code>docker ps</code> &amp; <b>see</b>", "run `docker ps` & see", []),
        ("&lt;none&gt; &nbsp;x&#39;", "<none>  x'", []),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b", []),
        (
            '<img src="a%20b.png"> [sound:s.mp3]',
            "[image: media/a b.png] [sound: media/s.mp3]",
            ["a b.png", "s.mp3"],
        ),
        ('<img src="https://x.org/i.png">', "[image: https://x.org/i.png]", []),
        ("<script>alert(1)</script>safe<style>p{}</style>", "safe", []),
        ("line\nbreak in source", "line break in source", []),
        ("two  spaces kept", "two  spaces kept", []),
        ("<!-- note -->text", "text", []),
    ],
)
def test_field_html_to_text(html: str, text: str, media: list[str]) -> None:
    found: list[str] = []
    assert html_to_text(html, found) == text
    assert sorted(found) == sorted(media)


BASIC = NoteType(
    1,
    "Basic",
    False,
    ("Front", "Back"),
    (Template(0, "Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
    stock=1,
)
REVERSED = NoteType(
    2,
    "Basic (and reversed card)",
    False,
    ("Front", "Back"),
    (
        Template(0, "Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        Template(1, "Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
    ),
    stock=2,
)
TYPED = NoteType(
    3,
    "Typed",
    False,
    ("Front", "Back"),
    (Template(0, "Card 1", "{{Front}}\n{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}"),),
    stock=4,
)
OTHER = NoteType(
    4,
    "Vocab",
    False,
    ("Word", "Meaning", "Example"),
    (Template(0, "Card 1", "{{Word}}", "{{Meaning}}"),),
)


def _note(fields: tuple[str, ...], tags: tuple[str, ...] = ()) -> Note:
    return Note(1, "guid-1", 1, fields, tags)


def test_reversed_note_gives_both_cards_with_their_items() -> None:
    converted = convert_note(
        _note(("front", "back"), ("docker", "section::A_b::C")), REVERSED, [0, 1]
    )
    first, second = converted.cards
    assert (first.card.front, first.card.back) == ("front", "back")  # type: ignore[union-attr]
    assert (second.card.front, second.card.back) == ("back", "front")  # type: ignore[union-attr]
    assert first.items == {0: first.card.id} and second.items == {1: f"{first.card.id}-2"}
    assert first.card.section == "A b > C" and first.card.tags == ("docker",)


def test_typed_answers_become_command_or_cloze_cards() -> None:
    command = convert_note(_note(("List containers", "docker ps -a")), TYPED, [0]).cards[0]
    assert command.card.kind.value == "command" and command.card.answer == "docker ps -a"  # type: ignore[union-attr]
    text = convert_note(_note(("Capital of France", "Paris")), TYPED, [0]).cards[0]
    assert text.card.text == "Capital of France\n\n{{c1::Paris}}"  # type: ignore[union-attr]
    assert text.items == {0: f"{text.card.id}#c1"}


def test_other_note_types_fall_back_with_a_flag() -> None:
    converted = convert_note(_note(("Hund", "dog", "Der Hund")), OTHER, [0])
    assert converted.fallback
    assert converted.cards[0].card.back == "dog\nDer Hund"  # type: ignore[union-attr]


def test_empty_back_is_written_and_warned() -> None:
    converted = convert_note(_note(("front", "")), BASIC, [0])
    assert converted.cards[0].card.back == "(empty)"  # type: ignore[union-attr]
    assert "back is empty" in converted.warnings[0]


def test_nested_cloze_is_flattened() -> None:
    assert flatten_cloze("{{c1::a {{c2::b::hint}} c}} {{c3::d}}") == (
        "{{c1::a b c}} {{c3::d}}",
        ["c2"],
    )
    assert flatten_cloze("{{c1::plain}}") == ("{{c1::plain}}", [])


def test_shell_commands() -> None:
    assert is_shell_command("docker ps -a")
    assert is_shell_command("frobnicate --all")
    assert not is_shell_command("Paris")
    assert not is_shell_command("The bridge network")
    assert not is_shell_command("echo 'unclosed")


def test_tags_and_sections() -> None:
    assert split_tags(("a", "section::Container_Networking::Network_types")) == (
        ("a",),
        "Container Networking > Network types",
    )


def test_deck_ids_are_valid_and_unique() -> None:
    taken = {"docker"}
    assert deck_id_for("Docker", taken) == "docker-2"
    assert deck_id_for("Docker::Networking", taken) == "docker-networking"
    assert deck_id_for("Ünïcödé  Deck!", taken) == "unicode-deck"
    assert deck_id_for("日本語", taken) == "anki-deck"
    assert deck_id_for("x" * 200, taken) == "x" * 56
    assert {"docker-2", "docker-networking"} <= taken


def test_grades_for_anki_buttons() -> None:
    assert GRADE_FOR_EASE == {1: 1, 2: 3, 3: 4, 4: 5}


def test_time_text_is_what_the_column_stores() -> None:
    convert = conversions(sqlite_dialect.dialect())
    text = TimeText(convert)
    for ms in (0, 1, 999, 86_399_999, 1_700_000_000_123, 1_796_484_711_669, 4_102_444_800_000):
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
        assert text(ms) == convert.time_in(moment)


def test_protobuf_reader() -> None:
    assert message(b"\x08\x03\x12\x02hi") == {1: [3], 2: [b"hi"]}
    with pytest.raises(ProtobufError):
        message(b"\x12\x05hi")


@pytest.mark.parametrize("rollover", [0, 4, 23])
@pytest.mark.parametrize("days_back", [0, 3, 400])
def test_anki_today_is_anki_s(tmp_path: Path, rollover: int, days_back: int) -> None:
    path = tmp_path / "c.anki2"
    col = Collection(str(path))
    col.set_config("rollover", rollover)
    col.db.execute("UPDATE col SET crt = crt - ?", days_back * 86_400 + 3_600 * 5)
    col.close()
    col = Collection(str(path))
    expected = col.sched.today
    col.close()
    with sqlite3.connect(path) as db:
        timing = read_collection(db).timing
    assert timing.rollover == rollover
    assert anki_today(timing, datetime.now(UTC)) == expected


DECK = """\
deck: s
title: S
cards:
  - id: a
    front: A
    back: B
    section: x
  - id: b
    front: C
    back: D
    section: x
"""


def test_suspended_items_stay_out_of_study_and_decks_names_them(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "s.yaml").write_text(DECK)
    deck = load_deck_text(DECK, folder / "s.yaml").deck
    assert deck is not None
    today = date(2026, 12, 1)
    with open_store(str(tmp_path / "q.db")) as store:
        sync_decks(store, [deck])
        suspend(store, "s", "a")
        queue = todays_queue(store, None, today, Settings(), seed=1)
        state = item_state(store, "s", "a")
    assert [c.item_id for c in queue] == ["b"]
    assert state is not None and state.suspended and state.due is None
    out = io.StringIO()
    print_decks(AppContext(db=str(tmp_path / "q.db"), deck_dirs=(folder,)), out)
    assert "Suspended (left out of study): S 1." in out.getvalue()


# --- FSRS memory state -----------------------------------------------------------------------

_TODAY = date(2026, 12, 5)
_LRT = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


def _card(**changes: object) -> AnkiCard:
    fields: dict[str, object] = {
        "id": 1,
        "note_id": 1,
        "deck_id": 1,
        "ord": 0,
        "type": 2,
        "queue": 2,
        "due": 103,
        "ivl": 6,
        "factor": 0,
        "reps": 5,
        "lapses": 0,
        "data": f'{{"s":7.5,"d":4.25,"dr":0.9,"lrt":{int(_LRT.timestamp())}}}',
    }
    fields.update(changes)
    return AnkiCard(**fields)  # type: ignore[arg-type]


def _state(card: AnkiCard, last_ms: int | None = None) -> MemoryState | None:
    return memory_state(card, 100, _TODAY, 4, last_ms, (2, 1))


def test_a_review_cards_memory_state_starts_its_seed() -> None:
    found = _state(_card(), last_ms=int(_LRT.timestamp() * 1000) + 250)
    assert found is not None
    assert (found.state, found.step, found.stability, found.difficulty) == (2, None, 7.5, 4.25)
    assert found.due_at == day_start(date(2026, 12, 8), 4)
    assert found.last_review == day_start(study_day(_LRT, 4), 4) + timedelta(seconds=1)
    assert found.covers_until == _LRT + timedelta(milliseconds=250)
    # In a filtered deck the card's own due counts; bytes data read alike.
    moved = _state(_card(due=-100_000, odue=104, odid=7, data=_card().data.encode()))  # type: ignore[union-attr]
    assert moved is not None and moved.due_at == day_start(date(2026, 12, 9), 4)


def test_without_lrt_the_last_answer_or_the_interval_dates_the_last_review() -> None:
    data = '{"s":7.5,"d":4.25}'
    answered = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    found = _state(_card(data=data), last_ms=int(answered.timestamp() * 1000))
    assert found is not None
    assert found.last_review == day_start(study_day(answered, 4), 4) + timedelta(seconds=1)
    assert found.covers_until == answered
    found = _state(_card(data=data))
    assert found is not None  # due in 3 days with a 6-day interval: reviewed 3 days ago
    assert found.last_review == day_start(date(2026, 12, 2), 4) + timedelta(seconds=1)


def test_learning_cards_keep_their_step_and_due_time() -> None:
    due = datetime(2026, 12, 5, 9, 10, tzinfo=UTC)
    learning = _state(_card(type=1, queue=1, due=int(due.timestamp()), left=1001))
    assert learning is not None
    assert (learning.state, learning.step, learning.due_at) == (1, 1, due)
    relearning = _state(_card(type=3, queue=3, due=100, left=1))
    assert relearning is not None
    assert (relearning.state, relearning.step) == (3, 0)
    assert relearning.due_at == day_start(_TODAY, 4)


@pytest.mark.parametrize(
    "changes",
    [
        {"type": 0, "queue": 0},  # new
        {"data": ""},  # SM-2 card
        {"data": '{"pos":3}'},
        {"data": '{"s":7.5}'},
        {"data": '{"s":-1,"d":5}'},
        {"data": '{"s":7.5,"d":11}'},
        {"data": "not json"},
        {"type": 1, "queue": 1, "data": '{"s":7.5,"d":4.25}'},  # no time to date it from
    ],
)
def test_cards_without_a_usable_memory_state_have_no_seed(changes: dict[str, object]) -> None:
    assert _state(_card(**changes)) is None
