"""Generate quizapp/grading/docker_cli_generated.toml from the installed docker CLI's `--help`.

Every command (management commands walked down to their subcommands), its aliases, the
positional arguments of its usage line, and each flag: long and short name, value type and
the default the help text states. The hand-written docker_cli.toml adds what `--help` does
not say (how values compare, hidden legacy flags, the container's command, Compose and
buildx, which are not installed here) and wins where both speak.

    python scripts/gen_docker_model.py            # rewrite the generated file
    python scripts/gen_docker_model.py --check    # exit 1 when it differs from the CLI

tests/grading/test_generated_model.py runs the check where docker is installed.

Compose is not installed here: its commands come from its own reference, the
docs/reference/docker_compose*.yaml files of github.com/docker/compose (generated there from
the cobra commands, hidden flags included), into docker_compose_generated.toml:

    python scripts/gen_docker_model.py --compose-reference DIR
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "quizapp" / "grading" / "docker_cli_generated.toml"
COMPOSE_OUT = OUT.with_name("docker_compose_generated.toml")
_SECTION = re.compile(r"^(?:[A-Z][A-Za-z ]*)?Commands:$")
_COMMAND_LINE = re.compile(r"^  ([a-z][a-z0-9-]*)\*?\s+(.*)$")
_FLAG = re.compile(
    r"^\s+(?:-(?P<short>[A-Za-z0-9]), )?--(?P<long>[a-z0-9][a-z0-9-]*)"
    r"(?: (?P<type>[A-Za-z0-9]+))?\s{2,}(?P<help>.*)$"
)
_DEFAULT = re.compile(r"\(default (?:\"([^\"]*)\"|([^()\s]+))\)")


def _help(docker: str, path: list[str]) -> str:
    env = {
        **os.environ,
        "DOCKER_CONFIG": "/nonexistent-quizapp",
        "DOCKER_HOST": "unix:///nonexistent",
    }
    run = subprocess.run(
        [docker, *path, "--help"], capture_output=True, text=True, env=env, check=False, timeout=30
    )
    return run.stdout


def _flags(text: str) -> list[str]:
    """Flag specs ("s|long:type=default") of a help text's Options section."""
    specs: list[str] = []
    lines = text.splitlines()
    in_options = False
    current: dict[str, str] | None = None

    def finish() -> None:
        if current is None:
            return
        spec = current["long"]
        if current["short"]:
            spec = f"{current['short']}|{spec}"
        if current["type"]:
            spec += f":{current['type']}"
        match = _DEFAULT.search(" ".join(current["help"].split()))
        if match:
            default = match.group(1) if match.group(1) is not None else match.group(2)
            machine = "nonexistent" in default  # a path of this run's environment
            if (
                default not in ("[]", "map[]")
                and not machine
                and not (not current["type"] and default == "false")
            ):
                spec += f"={default}"
        specs.append(spec)

    for line in lines:
        if line.strip().endswith("Options:") or line.strip() == "Flags:":
            in_options = True
            continue
        if not in_options:
            continue
        if not line.strip():
            finish()
            current = None
            in_options = False
            continue
        match = _FLAG.match(line)
        if match and line.lstrip().startswith("-"):
            finish()
            current = {
                "short": match.group("short") or "",
                "long": match.group("long"),
                "type": match.group("type") or "",
                "help": match.group("help"),
            }
        elif current is not None:
            current["help"] += " " + line.strip()
    finish()
    return specs


def _usage(text: str, path: list[str]) -> str:
    match = re.search(r"^Usage:\s+docker (.*)$", text, re.MULTILINE)
    if not match:
        return ""
    words = match.group(1).split()[len(path) :]
    return " ".join(w for w in words if w != "[OPTIONS]")


def _aliases(text: str, path: list[str]) -> list[str]:
    match = re.search(r"^Aliases:\n\s+(.*)$", text, re.MULTILINE)
    if not match:
        return []
    names = [a.strip().removeprefix("docker ").strip() for a in match.group(1).split(",")]
    return [n for n in names if n and n != " ".join(path)]


def _subcommands(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    in_section = False
    for line in text.splitlines():
        if _SECTION.match(line.strip()):
            in_section = True
            continue
        if in_section and not line.strip():
            in_section = False
            continue
        if in_section:
            match = _COMMAND_LINE.match(line)
            if match:
                found.append((match.group(1), match.group(2).strip()))
    return found


def _quote(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(" ".join(text.split()) if "\n" in text else text, ensure_ascii=False)


def generate(docker: str) -> str:
    top = _help(docker, [])
    out = [
        "# GENERATED by scripts/gen_docker_model.py from the installed docker CLI's --help.",
        "# Do not edit: the hand-written docker_cli.toml adds to it and wins where both speak.",
        "",
        "[docker]",
        f"flags = [{', '.join(_quote(f) for f in _flags(top))}]",
        "",
    ]
    seen: set[str] = set()

    def walk(path: list[str], does: str) -> None:
        text = _help(docker, path)
        subs = _subcommands(text)
        if subs and not re.search(r"^Usage:\s+docker .*\b(IMAGE|CONTAINER)\b", text, re.MULTILINE):
            for name, sub_does in subs:
                walk([*path, name], sub_does)
            return
        key = " ".join(path)
        names = _aliases(text, [])
        if names and names[0] != key:  # `docker ps` is an alias of `docker container ls`
            if names[0] not in seen and names[0].split()[0] not in dict(_subcommands(top)):
                walk(names[0].split(), does)
            return
        if key in seen:
            return
        seen.add(key)
        out.append(f"[commands.{_quote(key)}]")
        out.append(f"does = {_quote(does)}")
        out.append(f"args = {_quote(_usage(text, path))}")
        aliases = [a for a in _aliases(text, path) if a != key]
        if aliases:
            out.append(f"aliases = [{', '.join(_quote(a) for a in aliases)}]")
        out.append(f"flags = [{', '.join(_quote(f) for f in _flags(text))}]")
        out.append("")

    for name, does in _subcommands(top):
        if name in ("compose", "buildx"):
            continue
        walk([name], does)
    return "\n".join(out)


def _compose_flag(option: dict[str, object]) -> str | None:
    if option.get("deprecated") and option.get("hidden"):
        return None
    spec = str(option["option"])
    if option.get("shorthand"):
        spec = f"{option['shorthand']}|{spec}"
    value_type = str(option.get("value_type", "bool"))
    if value_type != "bool":
        spec += f":{value_type}"
    default = option.get("default_value")
    unset = ("", "[]", "map[]", "false", "0s")
    if (
        isinstance(default, str)
        and default not in unset
        and (value_type != "bool" or default == "true")
    ):
        spec += f"={default}"
    return spec


def generate_compose(reference: Path) -> str:
    """docker_compose_generated.toml from Compose's reference YAML files."""
    import yaml

    out = [
        "# GENERATED by scripts/gen_docker_model.py --compose-reference from the",
        "# docs/reference/docker_compose*.yaml files of github.com/docker/compose.",
        "# Do not edit: the hand-written docker_cli.toml adds to it and wins where both speak.",
        "",
    ]
    top = yaml.safe_load((reference / "docker_compose.yaml").read_text(encoding="utf-8"))
    flags = [f for f in map(_compose_flag, top.get("options", [])) if f]
    out += ["[group]", f"flags = [{', '.join(_quote(f) for f in flags)}]", ""]
    for path in sorted(reference.glob("docker_compose_*.yaml")):
        page = yaml.safe_load(path.read_text(encoding="utf-8"))
        if page.get("cname") or page.get("hidden") or page.get("experimental"):
            continue
        words = str(page["command"]).split()[1:]
        if len(words) != 2:  # compose alpha / bridge subcommands are not taught
            continue
        usage = str(page.get("usage", "")).split()[len(words) + 1 :]
        args = " ".join(w for w in usage if w != "[OPTIONS]")
        options = [*page.get("options", []), *page.get("inherited_options", [])]
        flags = [f for f in map(_compose_flag, options) if f and "|help" not in f]
        flags = [f for f in flags if f.split(":")[0].split("=")[0] != "help"]
        out.append(f"[commands.{_quote(' '.join(words))}]")
        out.append(f"does = {_quote(str(page.get('short', '')))}")
        out.append(f"args = {_quote(args)}")
        aliases = [a.removeprefix("docker ") for a in str(page.get("aliases", "")).split(", ")]
        aliases = [a for a in aliases if a and a != " ".join(words)]
        if aliases:
            out.append(f"aliases = [{', '.join(_quote(a) for a in aliases)}]")
        out.append(f"flags = [{', '.join(_quote(f) for f in flags)}]")
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--docker", default="docker")
    parser.add_argument("--compose-reference", type=Path)
    args = parser.parse_args()
    if args.compose_reference is not None:
        COMPOSE_OUT.write_text(generate_compose(args.compose_reference), encoding="utf-8")
        print(f"wrote {COMPOSE_OUT}")
        return 0
    text = generate(args.docker)
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'matches' if same else 'differs from'} the installed CLI")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
