"""Anki export: decks (and, if asked, their SM-2 progress) as an .apkg that Anki imports.

The package is written here, with no package builder: `notetypes` holds the note types and
which cards a note gets, `collection` Anki's schema-11 collection. `command.run_export` is the
entry point; `builder.build_package` turns decks into notes, `schedule` maps progress to Anki's
card and revlog columns, and `writer.write_package` writes the file atomically. Only the
export command imports this package.
"""
