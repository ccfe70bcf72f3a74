"""quizapp: spaced-repetition flashcards and command-completion quizzes in the terminal."""

__version__ = "0.1.0"
