"""Settings from the TOML config file, command-line overrides, and errors with FILE:LINE:COLUMN."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.config import load_settings, read_config
from quizapp.errors import QuizappError
from quizapp.scheduling.settings import DeckLimits, Settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, overrides: dict[str, int] | None = None) -> str:
    with pytest.raises(QuizappError) as info:
        load_settings(path, overrides or {})
    return info.value.message


def test_defaults() -> None:
    settings = Settings()
    assert (settings.new_per_day, settings.reviews_per_day, settings.rollover_hour) == (20, 200, 4)
    assert dict(settings.decks) == {}
    assert settings.new_limit("any") == 20
    assert settings.review_limit("any") == 200
    assert settings.review_limit() == 200


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml") == Settings()


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "")) == Settings()


def test_the_documented_example(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "new_per_day = 15\n"
        "reviews_per_day = 150\n"
        "rollover_hour = 3\n"
        "\n"
        "[decks.docker-swarm]\n"
        "new_per_day = 10\n"
        "\n"
        "[decks.docker-networking]\n"
        "reviews_per_day = 50\n",
    )
    settings = load_settings(path)
    assert settings == Settings(
        new_per_day=15,
        reviews_per_day=150,
        rollover_hour=3,
        decks={
            "docker-swarm": DeckLimits(new_per_day=10),
            "docker-networking": DeckLimits(reviews_per_day=50),
        },
    )
    assert settings.new_limit("docker-swarm") == 10
    assert settings.new_limit("docker-networking") == 15
    assert settings.new_limit("other") == 15
    assert settings.review_limit("docker-swarm") == 150
    assert settings.review_limit("docker-networking") == 50


def test_dotted_and_inline_deck_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'decks.a.new_per_day = 1\ndecks."b c" = { reviews_per_day = 2 }\n',
    )
    settings = load_settings(path)
    assert dict(settings.decks) == {"a": DeckLimits(new_per_day=1), "b c": DeckLimits(None, 2)}


def test_path_none_reads_the_user_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_settings(None) == Settings()
    (tmp_path / "quizapp").mkdir()
    (tmp_path / "quizapp" / "config.toml").write_text("new_per_day = 7\n", encoding="utf-8")
    assert load_settings(None).new_per_day == 7


def test_command_line_overrides_beat_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "new_per_day = 15\nrollover_hour = 3\n"
        "[decks.swarm]\nnew_per_day = 10\nreviews_per_day = 9\n",
    )
    settings = load_settings(path, {"new_per_day": 5, "rollover_hour": 0})
    assert (settings.new_per_day, settings.reviews_per_day, settings.rollover_hour) == (5, 200, 0)
    # --new-limit applies to every deck, the per-deck file value included
    assert settings.new_limit("swarm") == 5
    # what the command line does not set keeps the file's value
    assert settings.review_limit("swarm") == 9
    assert load_settings(path, {"reviews_per_day": 20}).review_limit("swarm") == 20


def test_overrides_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml", {"reviews_per_day": 0})
    assert settings == Settings(reviews_per_day=0)


def test_bad_override_values(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    assert "--new-limit" in error_of(missing, {"new_per_day": -1})
    assert "--rollover-hour" in error_of(missing, {"rollover_hour": 24})
    with pytest.raises(ValueError, match="new_limit"):
        load_settings(missing, {"new_limit": 3})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("new_per_day = \n", ":1:15: invalid TOML: Invalid value"),
        ("new_per_day = 1\n[decks.x\n", ":2:9: invalid TOML: Expected ']' at the end"),
        ("new_per_day = 1\nnew_per_day = 2\n", ": invalid TOML: Cannot overwrite a value"),
        ("new_per_day = -1\n", ":1:1: new_per_day must be 0 or more, not -1"),
        (
            '\n  reviews_per_day = "ten"\n',
            ":2:3: reviews_per_day must be a whole number, not 'ten'",
        ),
        ("new_per_day = true\n", ":1:1: new_per_day must be a whole number, not True"),
        ("new_per_day = 2.5\n", ":1:1: new_per_day must be a whole number, not 2.5"),
        ("# hours\nrollover_hour = 24\n", ":2:1: rollover_hour must be from 0 to 23, not 24"),
        ("new_per_dya = 3\n", ":1:1: unknown setting 'new_per_dya' (expected new_per_day"),
        (
            "new_per_day = 3\n\n[decks.swarm]\nnew_per_day = 1\nnew_limit = 3\n",
            ":5:1: unknown setting 'new_limit' for deck 'swarm'",
        ),
        (
            "[decks.a]\nnew_per_day = 1\n[decks.b]\nnew_per_day = -2\n",
            ":4:1: new_per_day must be 0 or more, not -2",
        ),
        ("decks = 3\n", ":1:1: decks must be a table"),
        ("[decks]\nswarm = 3\n", ":2:1: decks.swarm must be a table"),
    ],
)
def test_errors_name_file_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:")
    assert expected in message


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"new_per_day = 1\n# caf\xe9\n")
    assert error_of(path) == f"{path}:2:1: the settings file is not UTF-8 text"


def test_an_unreadable_path(tmp_path: Path) -> None:
    assert error_of(tmp_path) == f"{tmp_path} is a folder, not a settings file"


def test_settings_are_immutable_and_validated() -> None:
    settings = Settings(decks={"a": DeckLimits(new_per_day=1)})
    with pytest.raises(TypeError):
        settings.decks["b"] = DeckLimits()  # type: ignore[index]
    assert hash(settings) == hash(Settings(decks={"a": DeckLimits(new_per_day=1)}))
    with pytest.raises(ValueError):
        Settings(new_per_day=-1)
    with pytest.raises(ValueError):
        Settings(rollover_hour=24)
    with pytest.raises(ValueError):
        DeckLimits(reviews_per_day=-1)


def test_a_keys_table_is_the_study_apps_keymap(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'new_per_day = 5\n[keys]\n"study.bury" = "x"\n"home.quit" = "q,ctrl+q"\n'
    )
    config = read_config(path)
    assert dict(config.keys) == {"study.bury": "x", "home.quit": "q,ctrl+q"}
    assert config.settings.new_per_day == 5
    assert config.settings == load_settings(path) == Settings(new_per_day=5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("keys = 3\n", ":1:1: keys must be a table"),
        ('[keys]\n"study.bury" = 3\n', ":2:1: keys.study.bury must be text naming keys"),
    ],
)
def test_bad_keys_tables(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:")
    assert expected in message


def test_scheduler_and_retention_globally_and_per_deck(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'scheduler = "fsrs"\ndesired_retention = 0.85\n\n'
        '[decks.docker-swarm]\nscheduler = "sm2"\n\n'
        "[decks.docker-images]\ndesired_retention = 0.95\nnew_per_day = 5\n",
    )
    settings = load_settings(path)
    assert (settings.scheduler, settings.desired_retention) == ("fsrs", 0.85)
    assert settings.decks["docker-images"] == DeckLimits(new_per_day=5, desired_retention=0.95)
    assert settings.scheduler_for("docker-swarm") == "sm2"
    assert settings.scheduler_for("docker-images") == "fsrs"
    assert settings.scheduler_for("other") == "fsrs"
    assert settings.retention_for("docker-images") == 0.95
    assert settings.retention_for("docker-swarm") == 0.85


def test_the_scheduler_defaults_to_sm2_at_090() -> None:
    settings = Settings()
    assert (settings.scheduler, settings.desired_retention) == ("sm2", 0.9)
    assert settings.scheduler_for("any") == "sm2"
    assert settings.retention_for("any") == 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('scheduler = "anki"\n', ':1:1: scheduler must be "sm2" or "fsrs", not \'anki\''),
        ("desired_retention = 1.2\n", ":1:1: desired_retention must be from 0.7 to 0.99, not 1.2"),
        ('desired_retention = "90%"\n', ":1:1: desired_retention must be a number like 0.9"),
        ("[decks.a]\n\nscheduler = 2\n", ':3:1: scheduler must be "sm2" or "fsrs", not 2'),
        ("[decks.a]\ndesired_retention = 0.5\n", ":2:1: desired_retention must be from 0.7"),
    ],
)
def test_bad_scheduler_settings(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    assert expected in error_of(path)
