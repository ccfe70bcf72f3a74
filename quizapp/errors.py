"""The one exception type that carries a message meant for the user, not a traceback."""


class QuizappError(Exception):
    """Raised anywhere with a message the CLI prints as `quizapp: error: ...` and an exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
