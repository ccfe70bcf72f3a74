"""Drafts of notes of other shapes: a numbered git cheat sheet, prose, kubectl with sudo."""

from __future__ import annotations

import io
from pathlib import Path

from quizapp.commands.draft import run_draft
from quizapp.deck.model import BasicCard, ClozeCard, CommandCard
from quizapp.deckfiles import load_deck_text
from quizapp.draft.pipeline import draft_text
from quizapp.grading import Verdict, grade_command

from .helpers import draft_file


def test_git_cheat_sheet_with_setext_headings_and_numbered_lists() -> None:
    text, _cards, deck = draft_file("git-cheatsheet.md")
    assert deck.title == "Git cheat sheet"
    commands = {c.answer: c for c in deck.cards if isinstance(c, CommandCard)}
    assert list(commands) == [
        "git init",
        "git clone https://github.com/example/app.git",
        "git remote add origin https://github.com/example/app.git",
        "git status",
        "git add notes.txt",
        "git add .",
        'git commit -m "Fix the login form"',
        "git push origin main",
        "git switch feature-login",
        "git switch -c feature-login",
        "git merge feature-login",
        "git branch -d feature-login",
        "git restore notes.txt",
        "git reset --hard a1b2c3d",
        "git stash",
        "git stash pop",
        "git log --oneline",
        "git log --graph --all",
    ]
    assert commands["git init"].prompt == "Create a repository in the current folder."
    assert commands["git add notes.txt"].prompt == "Stage the file `notes.txt`."
    assert commands['git commit -m "Fix the login form"'].prompt == (
        "Record the staged changes with the message `Fix the login form`."
    )
    assert commands["git stash"].prompt == "Shelve the changes for later."
    assert commands["git log --graph --all"].prompt == "Show the history as a graph, everywhere."
    assert commands["git log --oneline"].section == "History"
    assert commands["git status"].section == "Everyday work"
    assert commands["git status"].tags == ("everyday-work",)
    basics = {c.front: c.back for c in deck.cards if isinstance(c, BasicCard)}
    assert basics == {
        "What is a branch?": "A movable pointer to a commit",
        "What is HEAD?": "The commit you have checked out",
    }
    for card in commands.values():
        assert grade_command(card.answer, card.answers).verdict is Verdict.RIGHT
    assert "# check: the grader models docker only" in text


def test_prose_notes_give_definitions_and_clozes_but_no_commands() -> None:
    _, cards, deck = draft_file("consensus.md")
    assert not any(isinstance(c, CommandCard) for c in deck.cards)
    clozes = {c.id: c.text for c in deck.cards if isinstance(c, ClozeCard)}
    # Besides these, the other statements are whole-sentence clozes drafted for review.
    assert (
        clozes.items()
        >= {
            "basics-consensus": "{{c1::Consensus}} is the problem of getting several machines to "
            "agree on one value, even when some of them fail.",
            "paxos-proposers-acceptors-learners": "Proposed by Leslie Lamport; roles are "
            "{{c1::proposers}}, {{c2::acceptors}} and {{c3::learners}}",
            "raft-majority": "A candidate needs votes from a {{c1::majority}} of the cluster",
        }.items()
    )
    basics = {c.front: c for c in deck.cards if isinstance(c, BasicCard)}
    assert basics["What is Quorum?"].back == "A majority of the nodes; any two quorums overlap"
    assert basics["What is Liveness?"].back == "Something good eventually happens"
    assert basics["What is FLP short for?"].back == "Fischer, Lynch and Paterson"
    assert basics["What is a term?"].section == "Algorithms > Raft"
    assert basics["What is a term?"].tags == ("algorithms", "raft")
    assert basics['What is "Split brain"?'].back == "Two nodes both believe they are the leader"
    assert basics['What is "Split brain"?'].section == "Pitfalls"
    literal = next(c for c in deck.cards if isinstance(c, ClozeCard) and "80" in c.text)
    assert literal.text == "Values such as 80, no, 1.10 and yes: keep them as {{c1::text}}"
    multi = next(c for c in cards if c.fields.get("text", "").startswith("Multi-Paxos"))
    assert (
        multi.fields["text"] == "Multi-Paxos elects a stable leader to {{c1::skip the first phase}}"
    )


def test_kubectl_notes_with_sudo_and_a_container_command() -> None:
    _, _, deck = draft_file("kubectl-notes.md")
    prompts = {c.answer: c.prompt for c in deck.cards if isinstance(c, CommandCard)}
    assert prompts["kubectl get pods -n staging"] == "List the pods of the namespace `staging`."
    assert prompts["kubectl exec -it web-0 -- sh"] == (
        "Open a shell in the pod `web-0` interactively with a terminal, running `sh`."
    )
    assert prompts["kubectl scale deployment web --replicas=3"] == (
        "Scale out the deployment `web` to `3` replicas."
    )
    assert (
        prompts["sudo systemctl restart kubelet"] == "Restart the node agent (`kubelet`) as root."
    )
    assert len(prompts) == 10


def test_notes_without_headings_use_the_title_as_section() -> None:
    text, _cards = draft_text("* Raft is a consensus algorithm\n", "raft", None, None)
    deck = load_deck_text(text, Path("raft.yaml")).deck
    assert deck is not None
    assert deck.title == "raft"
    assert [(c.id, c.section, c.front, c.back) for c in deck.cards] == [  # type: ignore[union-attr]
        ("raft-raft", "raft", "What is Raft?", "A consensus algorithm")
    ]


def test_same_statement_twice_gets_suffixed_ids() -> None:
    notes = "# T\n## A\n* `docker ps`\n* `docker ps`\n* `docker ps`\n"
    _, cards = draft_text(notes, "t", None, None)
    assert [c.id for c in cards] == ["docker-ps", "docker-ps-2", "docker-ps-3"]


def test_code_lines_under_one_bullet_make_one_card() -> None:
    notes = "# T\n## Build\n* Copy the sources\n  * `COPY . /src`\n  * `WORKDIR /src`\n"
    _, cards = draft_text(notes, "t", None, None)
    assert [(c.kind, c.fields) for c in cards] == [
        (
            "basic",
            {
                "front": "Which lines does the note “Copy the sources” give?",
                "back": "`COPY . /src`\n`WORKDIR /src`",
            },
        )
    ]


def test_code_lines_at_the_top_of_a_section_make_one_card() -> None:
    notes = "# T\n## Ports\n* `EXPOSE 8080`\n* `EXPOSE 8443`\n"
    _, cards = draft_text(notes, "t", None, None)
    assert [c.fields for c in cards] == [
        {
            "front": "Which lines do the notes give under “Ports”?",
            "back": "`EXPOSE 8080`\n`EXPOSE 8443`",
        }
    ]


def test_a_fact_that_ends_in_code_asks_for_the_code() -> None:
    notes = (
        "# T\n## Logs\n* Set the logging driver in `daemon.json`\n* Use `a` or `b` or `c` always\n"
    )
    _, cards = draft_text(notes, "t", None, None)
    assert [c.fields["text"] for c in cards] == [
        "Set the logging driver in `{{c1::daemon.json}}`",
        "Use `a` or `b` or `{{c1::c}}` always",
    ]


def test_crlf_tabs_and_a_byte_order_mark_draft_like_plain_notes(tmp_path: Path) -> None:
    notes = "# K\n## Pods\n- Pods:\n  - `kubectl get pods`\n  - A pod is the smallest unit\n"
    plain_file = tmp_path / "k.md"
    plain_file.write_text(notes, encoding="utf-8")
    windows = tmp_path / "w" / "k.md"
    windows.parent.mkdir()
    windows.write_bytes(b"\xef\xbb\xbf" + notes.replace("\n", "\r\n").replace("  ", "\t").encode())
    outputs = []
    for path in (plain_file, windows):
        out = io.StringIO()
        assert run_draft(path, None, None, None, None, out) == 0
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert 'section: "Pods"' in outputs[0] and 'answer: "kubectl get pods"' in outputs[0]


def test_the_words_before_a_fenced_block_prompt_only_its_first_command() -> None:
    notes = (
        "# T\n## Daemon\nTo restart the daemon:\n\n"
        "```sh\n$ sudo systemctl restart docker\ndocker ps -a\n```\n"
    )
    _, cards = draft_text(notes, "t", None, None)
    assert [c.fields for c in cards] == [
        {
            "prompt": "Restart the daemon (`docker`) as root.",
            "answer": "sudo systemctl restart docker",
        },
        {"prompt": "List the containers including the stopped ones.", "answer": "docker ps -a"},
    ]


def test_flags_read_as_the_command_means_them() -> None:
    notes = (
        "# T\n## Clean\n- `docker image prune -a -f`\n- `docker start -a web`\n"
        "- `docker volume prune --all`\n- `docker images -a`\n"
    )
    _, cards = draft_text(notes, "t", None, None)
    assert [c.fields["prompt"] for c in cards] == [
        "Remove unused images including every unused one, not only dangling ones, without asking.",
        "Start the container `web` attached to its output.",
        "Remove all unused volumes including named ones, not only anonymous ones.",
        "List the images including the intermediate ones.",
    ]


def test_cloze_deletions_the_grader_reads_the_same_are_checked() -> None:
    notes = (
        "# Notes\n\n"
        "- **Docker** runs containers and **docker** is its CLI.\n"
        "- A container is a **runnable instance** of an image.\n"
    )
    text, cards = draft_text(notes, "notes", None, None)
    same, fine = (c for c in cards if c.kind.value == "cloze")
    assert same.checks == ["c1 and c2 read the same to the grader: merge or reword them"]
    assert fine.checks == []
    assert "# check: c1 and c2 read the same to the grader" in text
