"""Anki export: decks (and, if asked, their SM-2 progress) as an .apkg that Anki imports.

Only this package imports genanki, so no other command pays for it. `command.run_export` is the
entry point; `builder.build_package` turns decks into notes, `schedule` maps progress to Anki's
card and revlog columns, and `writer.write_package` writes the file atomically.
"""
