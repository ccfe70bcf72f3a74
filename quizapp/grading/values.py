"""Flag and argument values in the form the Docker CLI gives them meaning.

`alpine` and `docker.io/library/alpine:latest` name one image; `80:80/tcp` is `80:80`;
`src=v,dst=/vol` is `source=v,target=/vol,type=volume`; `--detach=True` is `--detach`.
Placeholders an author writes in an answer (`<id>`, `<name>`) stand for any one value.
"""

from __future__ import annotations

import re

TRUE_WORDS = frozenset({"1", "t", "T", "true", "TRUE", "True"})
FALSE_WORDS = frozenset({"0", "f", "F", "false", "FALSE", "False"})
_PLACEHOLDER = re.compile(r"<[^<>\s]+>")
_DIGEST = "@"
_MOUNT_KEYS = {
    "src": "source",
    "source": "source",
    "dst": "target",
    "destination": "target",
    "target": "target",
    "ro": "readonly",
    "readonly": "readonly",
    "read-only": "readonly",
}


def parse_bool(text: str) -> bool | None:
    """pflag's strconv.ParseBool: None when `text` is not a boolean."""
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def is_placeholder(value: str) -> bool:
    """`<id>`, `<container-name>`: an author's stand-in for whatever value the learner picks."""
    return _PLACEHOLDER.fullmatch(value) is not None


def values_match(a: str, b: str) -> bool:
    return a == b or is_placeholder(a) or is_placeholder(b)


def normalize_image(ref: str) -> str:
    """`alpine` -> `alpine:latest`; `docker.io/library/alpine` -> `alpine:latest`."""
    if is_placeholder(ref) or not ref or ref.startswith("-"):
        return ref
    name = ref
    for prefix in ("docker.io/library/", "index.docker.io/library/", "docker.io/", "library/"):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
            break
    if _DIGEST in name:
        return name
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        name += ":latest"
    return name


def normalize_port(spec: str) -> str:
    """`80:80/tcp` -> `80:80`; `published=8080,target=80` (service syntax) -> `8080:80`."""
    if "=" in spec:
        pairs = dict(part.partition("=")[::2] for part in spec.split(","))
        if set(pairs) <= {"published", "target", "protocol", "mode"} and "target" in pairs:
            short = (
                f"{pairs['published']}:{pairs['target']}"
                if "published" in pairs
                else pairs["target"]
            )
            if pairs.get("protocol", "tcp") != "tcp":
                short += "/" + pairs["protocol"]
            if pairs.get("mode", "ingress") != "ingress":
                short += ",mode=" + pairs["mode"]
            return short
        return spec
    return spec.removesuffix("/tcp")


def reversed_port(typed: str, expected: str) -> bool:
    """`8080:80` typed where `80:8080` was expected: host and container swapped."""
    t = normalize_port(typed).split(":")
    e = normalize_port(expected).split(":")
    return len(t) == 2 and len(e) == 2 and t != e and t == e[::-1]


def normalize_mount(spec: str) -> str:
    """A `--mount` value as a sorted key=value list with Docker's key aliases resolved."""
    pairs: dict[str, str] = {}
    for part in spec.split(","):
        key, eq, value = part.partition("=")
        key = _MOUNT_KEYS.get(key.strip(), key.strip())
        if key == "readonly":
            value = "true" if not eq or parse_bool(value) else "false"
        pairs[key] = value if eq or key == "readonly" else ""
    pairs.setdefault("type", "volume")
    if pairs.get("readonly") == "false":
        del pairs["readonly"]
    return ",".join(f"{k}={v}" for k, v in sorted(pairs.items()))


def normalize_path(path: str) -> str:
    """`./` and `.` name one folder; so do `app/` and `app`."""
    if path in ("./", "."):
        return "."
    return path.rstrip("/") if len(path) > 1 and path.endswith("/") else path


def normalize_value(kind: str | None, value: str) -> str:
    if kind == "image":
        return normalize_image(value)
    if kind == "port":
        return normalize_port(value)
    if kind == "mount":
        return normalize_mount(value)
    return value


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, substitute), for 'is this a typo?'."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` edits apart, in O(len * limit) (a banded DP)."""
    if abs(len(a) - len(b)) > limit:
        return False
    big = limit + 1
    previous = {j: j for j in range(min(len(b), limit) + 1)}
    for i in range(1, len(a) + 1):
        current: dict[int, int] = {}
        for j in range(max(0, i - limit), min(len(b), i + limit) + 1):
            if j == 0:
                current[j] = i
                continue
            current[j] = min(
                previous.get(j, big) + 1,
                current.get(j - 1, big) + 1,
                previous.get(j - 1, big) + (a[i - 1] != b[j - 1]),
            )
        if min(current.values(), default=big) > limit:
            return False
        previous = current
    return previous.get(len(b), big) <= limit


def is_typo(typed: str, expected: str) -> bool:
    """A small slip: at most 1 edit in short words, 2 in longer ones (and not the whole word)."""
    if typed == expected:
        return False
    limit = 1 if len(expected) <= 5 else 2 if len(expected) <= 12 else 3
    return within_edits(typed, expected, min(limit, max(len(expected) - 1, 0)))
