"""Anki collections built with the official `anki` package, studied through its scheduler.

Days are simulated the way Anki counts them: the collection's creation time (`crt`) moves one
day back, so Anki's "today" moves one day on, and every stored time moves back with it (revlog
ids, FSRS's last review time `lrt` in the card data, intraday learning due times), so that FSRS
sees the days pass; the collection is reopened so that nothing of the old day is cached.
Packages are exported with Anki's own exporters.

Deterministic: each answer's grade comes from the card's rank (its note's order of creation and
its template), the day and how often the card was answered before, never from its id (the
clock's time) nor from the order Anki asks the cards in (learning cards come back in the
order of their due times, which depend on the clock); with fuzz off (conftest.py) the same
build gives the same cards and revlog on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.scheduler_pb2 import CardAnswer

DAY = 86_400
RATINGS = {
    1: CardAnswer.AGAIN,
    2: CardAnswer.HARD,
    3: CardAnswer.GOOD,
    4: CardAnswer.EASY,
}


@dataclass
class Built:
    path: Path
    col: Collection

    def reopen(self) -> Collection:
        self.col.close()
        self.col = Collection(str(self.path))
        return self.col


def add(col: Collection, notetype: str, deck: str, **fields: str) -> int:
    model = col.models.by_name(notetype)
    assert model is not None, notetype
    note = col.new_note(model)
    for name, value in fields.items():
        note[name] = value
    col.add_note(note, col.decks.id(deck))
    return note.id


def vocab_type(col: Collection) -> None:
    """A note type quizapp does not know (three fields, one template)."""
    mm = col.models
    model = mm.new("Vocab")
    for name in ("Word", "Meaning", "Example"):
        mm.add_field(model, mm.new_field(name))
    template = mm.new_template("Card 1")
    template["qfmt"] = "{{Word}}"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}"
    mm.add_template(model, template)
    mm.add(model)


def build(
    path: Path,
    *,
    fsrs: bool = False,
    days: int = 12,
    media: bool = True,
    extra: int = 0,
    preset: tuple[list[float], float] | None = None,
) -> Built:
    """A collection with a note of every kind (and `extra` more Basic notes in "Words"),
    studied for `days` simulated days; `preset`: FSRS parameters and desired retention of the
    options preset every deck uses."""
    col = Collection(str(path))
    if fsrs:
        col.set_config("fsrs", True)
    if preset is not None:
        config = col.decks.get_config(1)
        assert config is not None
        config["fsrsParams6"], config["desiredRetention"] = preset
        col.decks.update_config(config)
    vocab_type(col)
    net = "Docker::Networking"
    for n in range(6):
        add(col, "Basic", net, Front=f"Question <b>{n}</b>", Back=f"Answer {n}<br>line two")
    add(col, "Basic (and reversed card)", net, Front="bridge", Back="the default network")
    add(col, "Basic (optional reversed card)", net, Front="overlay", Back="multi-host")
    add(
        col,
        "Basic (optional reversed card)",
        net,
        **{"Front": "macvlan", "Back": "a MAC per container", "Add Reverse": "y"},
    )
    add(col, "Cloze", "Docker", Text="Run {{c1::docker run}} with {{c2::-d::a flag}}.")
    add(col, "Cloze", "Docker", Text="{{c1::outer {{c2::inner}} text}}", **{"Back Extra": "x"})
    typed = "Basic (type in the answer)"
    add(col, typed, "Docker", Front="List all containers", Back="docker ps -a")
    add(col, "Basic (type in the answer)", "Docker", Front="Capital of France", Back="Paris")
    add(col, "Vocab", "Words", Word="Hund", Meaning="dog", Example="Der Hund &amp; die Katze")
    for n in range(extra):
        add(col, "Basic", "Words", Front=f"Word {n}", Back=f"Meaning {n}")
    if media:
        col.media.write_data("pic.png", b"\x89PNG fake image")
        col.media.write_data("say.mp3", b"ID3 fake sound")
        add(col, "Basic", "Words", Front='Look: <img src="pic.png">', Back="[sound:say.mp3] hi")
    built = Built(path, col)
    pattern = [3, 3, 1, 3, 4, 2, 3]
    rank = {cid: n for n, cid in enumerate(col.db.list("SELECT id FROM cards ORDER BY nid, ord"))}
    times: dict[int, int] = {}
    for day in range(days):
        col = built.col
        answered = 0
        for deck in col.decks.all_names_and_ids():
            col.decks.select(deck.id)
            while answered < 400:
                queued = col.sched.get_queued_cards()
                if not queued.cards:
                    break
                top = queued.cards[0]
                card = col.get_card(top.card.id)
                card.start_timer()
                times[card.id] = times.get(card.id, 0) + 1
                grade = pattern[(times[card.id] + day + rank[card.id]) % len(pattern)]
                built_answer = col.sched.build_answer(
                    card=card, states=top.states, rating=RATINGS[grade]
                )
                col.sched.answer_card(built_answer)
                answered += 1
        if day < days - 1:
            col.db.execute("UPDATE col SET crt = crt - ?", DAY)
            _one_day_back(col)
            built.reopen()
    col = built.col
    # One review card suspended, one relearning and one learning card (both due today).
    reviews = col.find_cards("is:review")
    col.sched.suspend_cards([reviews[0]])
    answer(col, reviews[1], 1)
    late = add(col, "Basic", "Words", Front="late", Back="learner")
    answer(col, col.find_cards(f"nid:{late}")[0], 1)
    return built


def _one_day_back(col: Collection) -> None:
    """Every stored time one day earlier: the next day is then Anki's today."""
    col.db.execute("UPDATE revlog SET id = id - ?", DAY * 1000)
    col.db.execute(
        "UPDATE cards SET data = json_set(data, '$.lrt', json_extract(data, '$.lrt') - ?)"
        " WHERE data LIKE '{%' AND json_extract(data, '$.lrt') IS NOT NULL",
        DAY,
    )
    col.db.execute("UPDATE cards SET due = due - ? WHERE queue IN (1, 4)", DAY)


def days_pass(built: Built, days: int) -> Collection:
    """`days` days later for Anki (the collection reopened): its today moves on that much."""
    for _ in range(days):
        built.col.db.execute("UPDATE col SET crt = crt - ?", DAY)
        _one_day_back(built.col)
    return built.reopen()


def answer(col: Collection, card_id: int, grade: int) -> None:
    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card_id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=RATINGS[grade]))


def export_all(built: Built, folder: Path) -> dict[str, Path]:
    """The collection as Anki writes it: .apkg and .colpkg, current and legacy formats."""
    col = built.col
    packages = {}
    for legacy in (False, True):
        name = f"deck-{'legacy' if legacy else 'current'}.apkg"
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(folder / name), options=options, limit=None)
        packages[name] = folder / name
    for legacy in (False, True):
        name = f"all-{'legacy' if legacy else 'current'}.colpkg"
        col.export_collection_package(str(folder / name), include_media=True, legacy=legacy)
        built.reopen()
        col = built.col
        packages[name] = folder / name
    return packages
