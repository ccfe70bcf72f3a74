"""The notes reader: headings, nesting by indentation, numbered lists, paragraphs."""

from __future__ import annotations

from quizapp.draft.markdown import parse_notes, sentences, strip_heading


def test_headings_nest_and_reset() -> None:
    notes = parse_notes("# T\n## A\n### B:\n* one\n## C\n* two\n")
    assert [(i.text, i.headings) for i in notes.items] == [
        ("one", ("T", "A", "B")),
        ("two", ("T", "C")),
    ]
    assert notes.headings == [(1, "T", 1), (2, "A", 2), (3, "B", 3), (2, "C", 5)]


def test_setext_headings() -> None:
    notes = parse_notes("Title\n=====\n\nPart\n----\n- x\n")
    assert notes.headings == [(1, "Title", 1), (2, "Part", 4)]
    assert notes.items[0].headings == ("Title", "Part")


def test_bullets_nest_by_indentation_with_any_marker() -> None:
    notes = parse_notes("* a\n  - b\n    1. c\n  - d\n* e\n")
    by_text = {i.text: i for i in notes.items}
    assert [i.text for i in notes.items] == ["a", "b", "c", "d", "e"]
    assert by_text["b"].parent is by_text["a"]
    assert by_text["c"].parent is by_text["b"]
    assert by_text["d"].parent is by_text["a"]
    assert by_text["e"].parent is None
    assert [c.text for c in by_text["a"].children] == ["b", "d"]


def test_numbered_lists_and_three_space_children() -> None:
    notes = parse_notes("1. first\n2. second:\n   1. inner\n10) tenth\n")
    assert [(i.text, i.parent.text if i.parent else None) for i in notes.items] == [
        ("first", None),
        ("second:", None),
        ("inner", "second:"),
        ("tenth", None),
    ]


def test_continuation_lines_join_their_bullet() -> None:
    notes = parse_notes("* FLP proves\n  that consensus\nis hard\n\nNew paragraph.\n")
    assert [i.text for i in notes.items] == ["FLP proves that consensus is hard", "New paragraph."]
    assert notes.items[1].kind == "sentence"


def test_paragraphs_split_into_sentences_and_lead_the_list_after_them() -> None:
    notes = parse_notes("Intro one. Intro two\nwraps here.\nLabel:\n* item\n")
    assert [i.text for i in notes.items] == [
        "Intro one.",
        "Intro two wraps here.",
        "Label:",
        "item",
    ]
    assert notes.items[3].lead == "Label:"
    assert notes.items[0].line == 1


def test_other_fenced_code_and_breaks_are_skipped() -> None:
    notes = parse_notes("* a\n```python\n* not a bullet\n# not a heading\n```\n---\n* b\n")
    assert [i.text for i in notes.items] == ["a", "b"]
    assert notes.headings == []


def test_shell_fences_give_one_item_per_command() -> None:
    notes = parse_notes(
        "# T\nList them:\n```bash\n$ docker ps \\\n  -a  # all\n# a comment\n\ndocker images\n```\n"
        "* Under a bullet:\n  ```console\n  $ git status\n  On branch main\n  ```\n"
        "~~~\nuses `ticks`\n"
    )
    assert [(i.kind, i.text, i.line, i.lead) for i in notes.items if i.kind == "fenced"] == [
        ("fenced", "`docker ps -a`", 4, "List them:"),
        ("fenced", "`docker images`", 8, "List them:"),
        ("fenced", "`git status`", 12, None),
        ("fenced", "`` uses `ticks` ``", 16, "`git status`"),
    ]
    assert notes.items[4].parent is notes.items[3]


def test_strip_heading() -> None:
    assert strip_heading("Network types:") == "Network types"
    assert strip_heading("**Bold** and _it_ ##") == "Bold and it"


def test_bold_shout_stays_with_its_sentence() -> None:
    assert sentences("Secrets are private. **REQUIRES SWARM MODE**") == [
        "Secrets are private. **REQUIRES SWARM MODE**"
    ]
    assert sentences("e.g. passwords. Next one") == ["e.g. passwords.", "Next one"]
