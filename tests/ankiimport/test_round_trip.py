"""`export anki --with-progress`, then `import anki --with-progress` into a fresh database:
the same cards, field for field, the same SM-2 states and the same review log."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.ankiimport.command import run_import
from quizapp.ankiimport.notes import card_id_for
from quizapp.context import AppContext
from quizapp.deckfiles import load_decks
from quizapp.export.builder import note_guid
from quizapp.export.command import run_export
from quizapp.scheduling.day import study_day
from quizapp.storage.engine import open_store
from quizapp.storage.repository import progress, record_answer, review_log
from quizapp.storage.sync import sync_decks

DECK_YAML = """\
deck: docker-networking
title: "Docker::Networking"
description: "Bridge & overlay networks"
tags: [docker, core-topics]
cards:
  - id: bridge-default
    front: "Which network is on by default? <none> & `docker ps`"
    back: "The bridge network.\\nSecond line with  two spaces."
    tags: [networks]
    section: "Container Networking > Network types"
    explain: "Each container gets its own IP."
  - id: network-inspect
    type: command
    prompt: "Show details of the network `backend`."
    answer: "docker network inspect backend"
    prefix: "docker network"
    section: "Container Networking > Commands"
  - id: overlay-encrypt
    type: cloze
    text: "Create an overlay with {{c1::docker network create}} and encrypt it with \\
      {{c2::-o encrypted::an option}}."
    alternatives: {c2: ["--opt encrypted", "-o=encrypted"]}
    explain: "IPsec between nodes."
    section: "Overlay"
  - id: swarm-consensus
    type: choice
    question: "Which protocol elects a swarm leader?"
    choices: [Raft, Paxos, Gossip, Two-phase commit]
    answer: Raft
    section: "Swarm"
  - id: never-studied
    front: "Still new"
    back: "yes"
    section: "Other"
"""

START = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=40)


def _study(ctx: AppContext) -> None:
    """Answers over 30 days: passes, a lapse, same-day repeats, a quiz answer."""
    decks = [r.deck for r in load_decks(list(ctx.deck_dirs)) if r.deck]
    with open_store(ctx.db) as store:
        sync_decks(store, decks)
        plan = {
            "bridge-default": [4, 5, 1, 3, 4],
            "network-inspect": [3, 4, 4],
            "overlay-encrypt#c1": [5, 5, 5, 5],
            "overlay-encrypt#c2": [1, 4],
            "swarm-consensus": [4, 1],
        }
        for day in range(0, 30, 3):
            moment = START + timedelta(days=day)
            for item_id, grades in plan.items():
                if day // 3 >= len(grades):
                    continue
                grade = grades[day // 3]
                now = moment + timedelta(minutes=len(item_id))
                today = study_day(now, 4)
                common = {"deck_id": "docker-networking", "item_id": item_id, "typed_answer": None}
                record_answer(
                    store,
                    **common,
                    grade=grade,
                    correct=None,
                    duration_ms=3000,
                    now=now,
                    today=today,
                )
                if grade < 4:  # the same-day repeat, as the study app asks it
                    later = now + timedelta(minutes=5)
                    record_answer(
                        store,
                        **common,
                        grade=4,
                        correct=None,
                        duration_ms=2000,
                        now=later,
                        today=today,
                    )


def test_export_then_import_gives_the_same_cards_states_and_log(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "net.yaml").write_text(DECK_YAML, encoding="utf-8")
    source = AppContext(db=str(tmp_path / "a.db"), deck_dirs=(decks,))
    _study(source)
    apkg = tmp_path / "out.apkg"
    assert run_export(source, apkg, [], True, io.StringIO()) == 0

    out = tmp_path / "imported"
    target = AppContext(db=str(tmp_path / "b.db"), deck_dirs=(out,))
    report = io.StringIO()
    assert run_import(target, apkg, out, [], True, report) == 0

    (original,) = [r.deck for r in load_decks([decks]) if r.deck]
    results = load_decks([out])
    assert [r.errors for r in results] == [()]
    (imported,) = [r.deck for r in results if r.deck]
    assert imported.id == "docker-networking"
    assert imported.title == original.title
    assert imported.description == original.description
    ids = {card_id_for(note_guid(original.id, card.id)): card.id for card in original.cards}
    assert {ids[card.id] for card in imported.cards} == {card.id for card in original.cards}
    assert set(imported.tags) == set(original.tags)
    for card in imported.cards:
        before = original.card(ids[card.id])
        assert before is not None
        assert type(card) is type(before)
        assert card.section == before.section
        assert set(card.tags) | set(imported.tags) == set(before.tags) | set(original.tags)
        names = ("front", "back", "explain", "prompt", "answer", "prefix", "text", "question")
        for name in (*names, "alternatives"):
            assert getattr(card, name, None) == getattr(before, name, None), name
        if hasattr(card, "choices"):
            assert card.choices == before.choices  # type: ignore[attr-defined]

    def mapped(item_id: str) -> str:
        card_id, sep, rest = item_id.partition("#")
        return {v: k for k, v in ids.items()}[card_id] + sep + rest

    with open_store(source.db) as store:
        states_a = {mapped(p.item_id): p for p in progress(store) if p.due}
        log_a = review_log(store)
    with open_store(target.db) as store:
        states_b = {p.item_id: p for p in progress(store) if p.due}
        log_b = review_log(store)
    assert states_a.keys() == states_b.keys()
    for item_id, a in states_a.items():
        b = states_b[item_id]
        assert (b.repetitions, b.interval, b.easiness, b.due, b.lapses) == (
            a.repetitions,
            a.interval,
            a.easiness,
            a.due,
            a.lapses,
        ), item_id
        assert b.last_review is not None and a.last_review is not None
        assert abs(b.last_review - a.last_review) <= timedelta(
            milliseconds=1
        )  # ties nudged apart by export
    assert len(log_b) == len(log_a)
    key = lambda r: (r.reviewed_at, r.item_id)  # noqa: E731
    for a, b in zip(sorted(log_a, key=key), sorted(log_b, key=key), strict=True):
        assert b.item_id == mapped(a.item_id)
        assert abs(b.reviewed_at - a.reviewed_at) <= timedelta(
            milliseconds=1
        )  # ties nudged apart by export
        assert (b.day, b.grade, b.duration_ms, b.session_kind, b.repeat) == (
            a.day,
            a.grade,
            a.duration_ms,
            a.session_kind,
            a.repeat,
        )
        assert (b.before, b.after, b.lapses_before, b.lapses_after) == (
            a.before,
            a.after,
            a.lapses_before,
            a.lapses_after,
        )
    assert "1 deck, 5 notes, 5 cards" in report.getvalue()
