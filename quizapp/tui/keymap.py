"""The study app's keymap: which binding ids exist, which keys Textual knows, and the check of
a user's `[keys]` table (read by `quizapp.config`) against both.
"""

from __future__ import annotations

from textual.binding import Binding


def binding_ids() -> set[str]:
    """The id of every binding of the app, its screens and widgets (what `[keys]` may name)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import quizapp.tui

    # Every module of the app (the app itself, its screens and widgets), found by walking the
    # package: this module needs no import of the app, which imports it.
    classes: list[type] = []
    for info in pkgutil.walk_packages(quizapp.tui.__path__, "quizapp.tui."):
        module = importlib.import_module(info.name)
        classes += [v for v in vars(module).values() if isinstance(v, type)]
    ids: set[str] = set()
    for cls in classes:
        if issubclass(cls, DOMNode):
            for base in cls.__mro__:
                for binding in base.__dict__.get("BINDINGS", ()):
                    if isinstance(binding, Binding) and binding.id:
                        ids.add(binding.id)
    return ids


def is_key(key: str) -> bool:
    """Whether Textual knows `key` (`x`, `?`, `f5`, `question_mark`, `ctrl+b`, `shift+tab`)."""
    from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, Keys, key_to_character

    name = key if len(key) == 1 else key.rsplit("+", 1)[-1]
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    names = {k.value.rsplit("+", 1)[-1] for k in Keys} | set(KEY_NAME_REPLACEMENTS.values())
    return name in names or name in KEY_ALIASES or key_to_character(name) is not None


def keymap_problem(keymap: dict[str, str]) -> str | None:
    """A line naming the first key Textual does not know or binding id the app does not have
    in `keymap` (the settings only check that keys look like keys), or None."""
    import difflib

    from quizapp.config import key_position
    from quizapp.paths import config_file
    from quizapp.textsafe import visible

    known = binding_ids()
    for binding_id, keys in keymap.items():
        unknown = [key.strip() for key in keys.split(",") if not is_key(key.strip())]
        if binding_id in known and unknown:
            path = config_file()
            line, column = key_position(path, binding_id)
            return visible(
                f"{path}:{line}:{column}: keys.{binding_id}: {unknown[0]!r} is not a key "
                '(keys are named like "x", "?", "f5", "escape", "space" or "ctrl+b")'
            )
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            path = config_file()
            line, column = key_position(path, binding_id)
            return visible(
                f"{path}:{line}:{column}: unknown key binding id '{binding_id}' in [keys]{hint}; "
                "? in the app lists the binding ids"
            )
    return None
