"""Grading typed answers: commands as the Docker CLI reads them, typed text, choice answers.

Pure: no UI, storage or clock. The Docker CLI model is data (`docker_cli.toml`), loaded once.
"""

from quizapp.grading.commandline import grade_command
from quizapp.grading.grader import (
    grade_card,
    grade_choice,
    grade_cloze,
    grade_typed,
    unknown_docker_command,
)
from quizapp.grading.result import DiffToken, GradeResult, Verdict

__all__ = [
    "DiffToken",
    "GradeResult",
    "Verdict",
    "grade_card",
    "grade_choice",
    "grade_cloze",
    "grade_command",
    "grade_typed",
    "unknown_docker_command",
]
