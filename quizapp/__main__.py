"""Lets `python -m quizapp` behave exactly like the `quizapp` console script."""

from quizapp.cli import main

if __name__ == "__main__":
    main()
