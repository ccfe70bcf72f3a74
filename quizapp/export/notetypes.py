"""The four Anki note types, with ids fixed forever, and the one stylesheet they share.

The ids are hard-coded constants, not derived from anything: Anki recognises a note type by id,
so the same id on every run and every machine lets a re-import update notes instead of adding a
second copy of each note type. Never change an id or a field name; add new note types instead.
The names carry "(quizapp)" so they never clash with Anki's own "Basic" and "Cloze".
"""

from __future__ import annotations

import genanki

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


def _fields(names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


def basic_model() -> genanki.Model:
    front = '<div class="prompt">{{Front}}</div>'
    return genanki.Model(
        BASIC_MODEL_ID,
        "Basic (quizapp)",
        fields=_fields(BASIC_FIELDS),
        templates=[
            {
                "name": "Card 1",
                "qfmt": f'<div class="quizapp basic">{front}</div>',
                "afmt": f'<div class="quizapp basic">{front}<hr id="answer">'
                f'<div class="answer">{{{{Back}}}}</div>{_EXPLAIN}</div>',
            }
        ],
        css=STYLESHEET,
    )


def command_model() -> genanki.Model:
    """The learner types the command: `{{type:Answer}}` makes Anki compare it with Answer."""
    front = f'<div class="prompt">{{{{Prompt}}}}</div>{_PREFIX}'
    return genanki.Model(
        COMMAND_MODEL_ID,
        "Command (quizapp)",
        fields=_fields(COMMAND_FIELDS),
        templates=[
            {
                "name": "Card 1",
                "qfmt": f'<div class="quizapp command">{front}{{{{type:Answer}}}}</div>',
                "afmt": f'<div class="quizapp command">{front}<hr id="answer">'
                f"{{{{type:Answer}}}}{_EXPLAIN}</div>",
            }
        ],
        css=STYLESHEET,
    )


def cloze_model() -> genanki.Model:
    """Anki's cloze note type: each distinct cN of Text is its own card, ord N-1."""
    extra = '{{#Back Extra}}<div class="explain">{{Back Extra}}</div>{{/Back Extra}}'
    return genanki.Model(
        CLOZE_MODEL_ID,
        "Cloze (quizapp)",
        fields=_fields(CLOZE_FIELDS),
        templates=[
            {
                "name": "Cloze",
                "qfmt": '<div class="quizapp cloze">{{cloze:Text}}</div>',
                "afmt": f'<div class="quizapp cloze">{{{{cloze:Text}}}}{extra}</div>',
            }
        ],
        css=STYLESHEET,
        model_type=genanki.Model.CLOZE,
    )


def choice_model() -> genanki.Model:
    front = '<div class="prompt">{{Question}}</div>{{Choices}}'
    return genanki.Model(
        CHOICE_MODEL_ID,
        "Choice (quizapp)",
        fields=_fields(CHOICE_FIELDS),
        templates=[
            {
                "name": "Card 1",
                "qfmt": f'<div class="quizapp choice">{front}</div>',
                "afmt": f'<div class="quizapp choice">{front}<hr id="answer">'
                f'<div class="answer">{{{{Answer}}}}</div>{_EXPLAIN}</div>',
            }
        ],
        css=STYLESHEET,
    )
