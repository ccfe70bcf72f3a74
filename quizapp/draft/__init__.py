"""Drafting a deck from Markdown notes (`quizapp draft`), for an author to edit.

Pure: reads text, returns text; the command module does the file work.
"""
