"""What a drafted card must never be, on the Docker notes and on notes of three other tools
(tests/data/draft/tools: kubectl, git, systemd, written for these tests):

- a prompt that holds its answer: no flag of the answer and no word of its command (the
  words the learner types that are not values) appear in the prompt;
- Markdown that leaked in (`> Tip:`, `**`, links);
- a front, prompt or cloze cut mid-sentence.

Alternatives the notes give ("(short: `-A`)") are accepted answers, and `--merge` reports a
card whose statement changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.deck.model import CommandCard
from quizapp.deck.shellwords import split_shell
from quizapp.draft.cards import DraftCard
from quizapp.draft.inline import CODE_SPAN
from quizapp.draft.vocabulary import ACTIONS, RESOURCE_NOUNS
from tests.inprocess import run_quizapp

from .helpers import DATA, draft_file

NOTES = ["docker-notes.md", "tools/kubectl.md", "tools/git.md", "tools/systemd.md"]


def command_words(source: str) -> set[str]:
    """The words of a command as the notes write it that are not values: the program's
    subcommands and the flags (`kubectl config get-contexts`, `-f`), not `<pod>` or `web`
    after a flag."""
    words = list(split_shell(source))
    if words[:1] == ["sudo"]:
        words = words[1:]
    found = {w.split("=", 1)[0] for w in words if w.startswith("-") and len(w) > 1 and w != "--"}
    known = max(
        (path for path in ACTIONS if tuple(words[: len(path)]) == path), key=len, default=None
    )
    if known is not None and len(known) > 1:
        return found | set(known[1:])  # after a known command, the words are its values
    for word in words[1:]:
        if word.startswith("-") or not re.fullmatch(r"[a-z][a-z-]*", word):
            break  # what follows a flag or a value is a value
        found.add(word)
        if word in RESOURCE_NOUNS:
            break  # "deployment web": the name after it is a value
    return found


@pytest.mark.parametrize("notes", NOTES)
def test_no_prompt_holds_its_answer(notes: str) -> None:
    _, cards, _ = draft_file(notes)
    commands = [c for c in cards if c.kind == "command"]
    assert commands
    for card in commands:
        prompt = card.fields["prompt"]
        answer = card.fields["answer"]
        assert answer not in prompt
        source = card.source.removeprefix("command|")
        shown = {m.group(2).strip() for m in CODE_SPAN.finditer(prompt)}
        for word in command_words(source):
            if word.startswith("-"):
                assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", prompt), (
                    word,
                    prompt,
                )
            else:
                assert word not in shown, (word, prompt)


def texts(card: DraftCard) -> list[str]:
    return [v for k, v in card.fields.items() if k != "answer"]


@pytest.mark.parametrize("notes", NOTES)
def test_no_markdown_leaks_into_a_card(notes: str) -> None:
    _, cards, _ = draft_file(notes)
    for card in cards:
        for text in texts(card):
            assert not re.match(r"\s*(>|#|[-*+] )", text), text
            assert "**" not in text and "__" not in text and "](" not in text, text
            assert not re.match(r"(?i)(tip|note|warning|important)\s*:", text), text


@pytest.mark.parametrize("notes", NOTES)
def test_prompts_and_fronts_are_whole_sentences(notes: str) -> None:
    _, cards, _ = draft_file(notes)
    for card in cards:
        for key in ("prompt", "front"):
            if key in card.fields:
                text = card.fields[key]
                assert text[:1].isupper() or text[:1] in '`"“', text
                assert text.endswith((".", "?", "!")), text
        for text in texts(card):
            assert "…" not in text, text


def test_the_kubectl_prompts_a_new_user_tripped_over() -> None:
    _, _, deck = draft_file("tools/kubectl.md")
    cards = {c.answer: c for c in deck.cards if isinstance(c, CommandCard)}
    assert cards["kubectl config get-contexts"].prompt == "List the contexts in your kubeconfig."
    assert cards["kubectl logs -f web-0"].prompt == "Follow the logs of the pod `web-0`."
    assert cards["kubectl apply -f deployment.yaml"].prompt == (
        "Create or update from the file `deployment.yaml`."
    )
    assert cards["kubectl get pods --all-namespaces"].accept == ("kubectl get pods -A",)


@pytest.mark.parametrize(
    ("notes", "answer", "accept"),
    [
        ("tools/kubectl.md", "kubectl get pods --all-namespaces", ("kubectl get pods -A",)),
        ("tools/git.md", "git branch --all", ("git branch -a",)),
        (
            "tools/git.md",
            "git push -u origin feature-login",
            ("git push --set-upstream origin feature-login",),
        ),
        ("tools/systemd.md", "journalctl -b", ("journalctl --boot",)),
    ],
)
def test_alternatives_in_the_notes_are_accepted_answers(
    notes: str, answer: str, accept: tuple[str, ...]
) -> None:
    _, _, deck = draft_file(notes)
    card = next(c for c in deck.cards if isinstance(c, CommandCard) and c.answer == answer)
    assert card.accept == accept


def test_merge_reports_a_card_whose_command_changed_in_the_notes(tmp_path: Path) -> None:
    notes = tmp_path / "kubectl.md"
    notes.write_text((DATA / "tools" / "kubectl.md").read_text(encoding="utf-8"), "utf-8")
    deck = tmp_path / "kubectl.yaml"
    first = run_quizapp(["draft", notes, "-o", deck])
    assert first.returncode == 0, first.stderr
    before = deck.read_bytes()
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("--replicas=3", "--replicas=5"), "utf-8"
    )
    merged = run_quizapp(["draft", notes, "--merge", deck, "-o", tmp_path / "out.yaml"])
    assert merged.returncode == 0, merged.stderr
    assert merged.stderr == (
        f"quizapp: note: {deck}: card 'deployments-kubectl-scale-deployment-web-replicas': its "
        "statement changed in the notes (line 27), which now give "
        "`kubectl scale deployment web --replicas=5`; the card was kept as it is: update it\n"
    )
    assert "1 changed in the notes" in merged.stdout
    assert deck.read_bytes() == before
