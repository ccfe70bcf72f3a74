"""Grading typed answers: commands as each program's CLI reads them, typed text, choices.

Pure: no UI, storage or clock. The CLI models are data (`docker_cli.toml`, `models_data/*.cli.toml`,
an author's own `*.cli.toml` handed in as text by the deck layer), loaded once.
"""

from quizapp.grading.commandline import grade_command
from quizapp.grading.grader import (
    command_warnings,
    grade_card,
    grade_choice,
    grade_cloze,
    grade_typed,
    model_warnings,
    unknown_docker_command,
)
from quizapp.grading.models import ModelError, ModelSet, bundled_models, parse_model_text
from quizapp.grading.result import DiffToken, GradeResult, Verdict

__all__ = [
    "DiffToken",
    "GradeResult",
    "ModelError",
    "ModelSet",
    "Verdict",
    "bundled_models",
    "command_warnings",
    "grade_card",
    "grade_choice",
    "grade_cloze",
    "grade_command",
    "grade_typed",
    "model_warnings",
    "parse_model_text",
    "unknown_docker_command",
]
