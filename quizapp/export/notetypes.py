"""The four Anki note types, with ids fixed forever, and the one stylesheet they share.

The ids are hard-coded constants, not derived from anything: Anki recognises a note type by id,
so the same id on every run and every machine lets a re-import update notes instead of adding a
second copy of each note type. Never change an id or a field name; add new note types instead.
The names carry "(quizapp)" so they never clash with Anki's own "Basic" and "Cloze".

A `NoteType` also says which cards a note of it gets, by Anki's rule: a standard note type's
single template makes a card when its front shows a field (`front_fields`, any one non-empty);
a cloze note gets one card per distinct `{{cN::...}}` of its cloze field, ordinal N-1. And it
gives its schema-11 JSON for the package's collection (see `quizapp.export.collection`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

BASIC_MODEL_ID = 1524004858
COMMAND_MODEL_ID = 1747304927
CLOZE_MODEL_ID = 1979050086
CHOICE_MODEL_ID = 1088148208

BASIC_FIELDS = ("Front", "Back", "Explain")
COMMAND_FIELDS = ("Prompt", "Prefix", "Answer", "Explain")
CLOZE_FIELDS = ("Text", "Back Extra")
"""Anki's own cloze field names; "Back Extra" holds the card's `explain`, then its
`alternatives` (Anki's cloze takes one answer per deletion, so they are listed on the back)."""
CHOICE_FIELDS = ("Question", "Choices", "Answer", "Explain")

STYLESHEET = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
    sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
}
.quizapp { max-width: 38em; margin: 0 auto; padding: 0.5em 1em; }
.prompt { font-weight: 600; }
.prefix { margin-top: 0.6em; color: #59636e; font-size: 0.9em; }
.answer { margin-top: 0.4em; }
.explain {
  margin-top: 1em;
  padding: 0.5em 0.8em;
  border-left: 4px solid #d0d7de;
  color: #59636e;
  font-size: 0.9em;
}
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }
code, kbd, pre, #typeans {
  font-family: "JetBrains Mono", "Fira Code", "Cascadia Code", Menlo, Consolas,
    "DejaVu Sans Mono", monospace;
  font-size: 0.9em;
}
code {
  padding: 0.1em 0.35em;
  border-radius: 4px;
  color: #0a3069;
  background-color: #eff1f3;
  white-space: pre-wrap;
}
#typeans { width: 100%; box-sizing: border-box; margin-top: 0.8em; padding: 0.3em 0.5em; }
code#typeans { display: block; padding: 0.5em 0.7em; }
.cloze { font-weight: 700; color: #0969da; }
ul.choices { margin: 0.8em 0 0; padding-left: 1.4em; }
ul.choices li { margin: 0.25em 0; }
.alternatives ul { margin: 0.2em 0 0; padding-left: 1.4em; }

.nightMode.card, .night_mode .card, .nightMode .card {
  color: #e6edf3;
  background-color: #1e2228;
}
.nightMode .prefix, .night_mode .prefix,
.nightMode .explain, .night_mode .explain { color: #9198a1; border-color: #3d444d; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #3d444d; }
.nightMode code, .night_mode code { color: #a5d6ff; background-color: #2d333b; }
.nightMode .cloze, .night_mode .cloze { color: #58a6ff; }
"""

_EXPLAIN = '{{#Explain}}<div class="explain">{{Explain}}</div>{{/Explain}}'
_PREFIX = '{{#Prefix}}<div class="prefix">Starts with <code>{{Prefix}}</code></div>{{/Prefix}}'


KIND_STANDARD = 0
KIND_CLOZE = 1
"""Anki's note type kinds (the `type` of a note type)."""

_CLOZE_RE = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)
"""A cloze deletion `{{cN::...}}`; N > 0 makes the card of ordinal N-1."""

_LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
    "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
    "\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)
_LATEX_POST = "\\end{document}"
"""Anki's default LaTeX header and footer for a note type."""


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    qfmt: str
    """The front."""
    afmt: str
    """The back."""


@dataclass(frozen=True, slots=True)
class NoteType:
    """One note type: its id, fields and single template, and which cards its notes get."""

    id: int
    name: str
    fields: tuple[str, ...]
    template: Template
    kind: int = KIND_STANDARD
    front_fields: tuple[int, ...] = (0,)
    """Standard: the fields the front shows; a note gets its card if any of them is non-empty.
    Cloze: the cloze fields, whose deletions make the cards."""
    css: str = STYLESHEET

    def card_ords(self, fields: list[str]) -> tuple[int, ...]:
        """The template ordinals of the cards a note with these field values gets."""
        if self.kind == KIND_CLOZE:
            found: set[int] = set()
            for index in self.front_fields:
                numbers = (int(n) for n in _CLOZE_RE.findall(fields[index]))
                found.update(n - 1 for n in numbers if n > 0)
            return tuple(sorted(found))
        return (0,) if any(fields[index] for index in self.front_fields) else ()

    def schema11(self, mod: int, deck_id: int) -> dict[str, Any]:
        """The note type as the `models` JSON of a schema-11 collection holds it."""
        field_defaults = {"font": "Liberation Sans", "media": [], "rtl": False, "size": 20}
        return {
            "css": self.css,
            "did": deck_id,
            "flds": [
                {"name": name, "ord": ord_, **field_defaults, "sticky": False}
                for ord_, name in enumerate(self.fields)
            ],
            "id": str(self.id),
            "latexPost": _LATEX_POST,
            "latexPre": _LATEX_PRE,
            "latexsvg": False,
            "mod": mod,
            "name": self.name,
            "req": [] if self.kind == KIND_CLOZE else [[0, "any", list(self.front_fields)]],
            "sortf": 0,
            "tags": [],
            "tmpls": [
                {
                    "name": self.template.name,
                    "ord": 0,
                    "qfmt": self.template.qfmt,
                    "afmt": self.template.afmt,
                    "bqfmt": "",
                    "bafmt": "",
                    "bfont": "",
                    "bsize": 0,
                    "did": None,
                }
            ],
            "type": self.kind,
            "usn": -1,
            "vers": [],
        }


_FRONT = '<div class="prompt">{{Front}}</div>'
BASIC = NoteType(
    BASIC_MODEL_ID,
    "Basic (quizapp)",
    BASIC_FIELDS,
    Template(
        "Card 1",
        qfmt=f'<div class="quizapp basic">{_FRONT}</div>',
        afmt=f'<div class="quizapp basic">{_FRONT}<hr id="answer">'
        f'<div class="answer">{{{{Back}}}}</div>{_EXPLAIN}</div>',
    ),
)

_PROMPT = f'<div class="prompt">{{{{Prompt}}}}</div>{_PREFIX}'
COMMAND = NoteType(
    COMMAND_MODEL_ID,
    "Command (quizapp)",
    COMMAND_FIELDS,
    Template(
        "Card 1",
        qfmt=f'<div class="quizapp command">{_PROMPT}{{{{type:Answer}}}}</div>',
        afmt=f'<div class="quizapp command">{_PROMPT}<hr id="answer">'
        f"{{{{type:Answer}}}}{_EXPLAIN}</div>",
    ),
    front_fields=(0, 1),  # Prompt, or Prefix: the front shows either
)
"""The learner types the command: `{{type:Answer}}` makes Anki compare it with Answer."""

_EXTRA = '{{#Back Extra}}<div class="explain">{{Back Extra}}</div>{{/Back Extra}}'
CLOZE = NoteType(
    CLOZE_MODEL_ID,
    "Cloze (quizapp)",
    CLOZE_FIELDS,
    Template(
        "Cloze",
        qfmt='<div class="quizapp cloze">{{cloze:Text}}</div>',
        afmt=f'<div class="quizapp cloze">{{{{cloze:Text}}}}{_EXTRA}</div>',
    ),
    kind=KIND_CLOZE,
    front_fields=(0,),  # Text
)
"""Anki's cloze note type: each distinct cN of Text is its own card, ord N-1."""

_QUESTION = '<div class="prompt">{{Question}}</div>{{Choices}}'
CHOICE = NoteType(
    CHOICE_MODEL_ID,
    "Choice (quizapp)",
    CHOICE_FIELDS,
    Template(
        "Card 1",
        qfmt=f'<div class="quizapp choice">{_QUESTION}</div>',
        afmt=f'<div class="quizapp choice">{_QUESTION}<hr id="answer">'
        f'<div class="answer">{{{{Answer}}}}</div>{_EXPLAIN}</div>',
    ),
    front_fields=(0, 1),  # Question, or Choices
)
