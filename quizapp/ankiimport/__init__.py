"""`quizapp import anki`: Anki packages (.apkg, .colpkg) back into YAML decks and progress.

Pure parts (no files, clock or database): `protobuf` (the few messages of Anki's schema 18),
`html` (field HTML to deck text), `notes` (note types to cards), `timing` and `progress`
(Anki's days and schedules to SM-2 states and review rows). I/O parts: `package` (the zip,
read defensively), `collection` (the SQLite collection of any Anki version), `command` (writing
decks, media and progress, all or nothing).
"""
