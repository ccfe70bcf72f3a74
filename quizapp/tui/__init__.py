"""The Textual study app: home, study sessions, quizzes, statistics and help."""
