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


_MOUNT_BOOLS = ("readonly", "volume-nocopy", "bind-nonrecursive", "bind-recursive-readonly")


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
    head, slash, protocol = spec.rpartition("/")
    if slash and protocol.isalpha():  # `/UDP` is `/udp`
        spec = f"{head}/{protocol.lower()}"
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
        if key in _MOUNT_BOOLS:  # `readonly`, `ro=1`, `readonly=true` alike
            value = "true" if not eq or parse_bool(value) else "false"
        elif key == "tmpfs-size":
            value = normalize_bytes(value)
        pairs[key] = value if eq or key in _MOUNT_BOOLS else ""
    pairs.setdefault("type", "volume")
    for key in _MOUNT_BOOLS:
        if pairs.get(key) == "false":
            del pairs[key]
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


_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "de", "a")


def negated_pair(a: str, b: str) -> bool:
    """`secure` / `insecure`, `encrypted` / `unencrypted`, `lock` / `unlock`: one word is the
    other negated, so never a slip of the other."""
    return any(a == p + b or b == p + a for p in _NEGATING_PREFIXES)


def is_typo(typed: str, expected: str) -> bool:
    """A small slip: at most 1 edit in short words, 2 in longer ones (and not the whole word);
    never a word and its negation."""
    if typed == expected or negated_pair(typed, expected):
        return False
    limit = 1 if len(expected) <= 5 else 2 if len(expected) <= 12 else 3
    return within_edits(typed, expected, min(limit, max(len(expected) - 1, 0)))


# ---------------------------------------------------------------- values by type
# Each returns the canonical form (what the CLI sends, or the daemon reads), or the value
# unchanged when it is not of that type (the CLI would refuse it; compare it as written).

_SIZE = re.compile(r"^(\d+(?:\.\d+)?|\.\d+) ?([kmgtp])?i?b?$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
SIGNALS = {
    "1": "HUP", "2": "INT", "3": "QUIT", "4": "ILL", "5": "TRAP", "6": "ABRT", "7": "BUS",
    "8": "FPE", "9": "KILL", "10": "USR1", "11": "SEGV", "12": "USR2", "13": "PIPE",
    "14": "ALRM", "15": "TERM", "17": "CHLD", "18": "CONT", "19": "STOP", "20": "TSTP",
    "21": "TTIN", "22": "TTOU", "23": "URG", "24": "XCPU", "25": "XFSZ", "26": "VTALRM",
    "27": "PROF", "28": "WINCH", "29": "IO", "30": "PWR", "31": "SYS",
}  # fmt: skip
_TEMPLATE_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)


def normalize_bytes(value: str) -> str:
    """`512m`, `512M`, `512MB`, `0.5g`, `536870912`: the number of bytes (units of 1024)."""
    match = _SIZE.match(value.strip())
    if not match:
        return value
    number, unit = match.groups()
    return str(int(float(number) * _SIZE_UNITS[(unit or "").lower()]))


def normalize_duration(value: str) -> str:
    """Go durations: `1h` = `60m` = `3600s`, `10s` = `10000ms`: in nanoseconds."""
    text = value.strip()
    if text == "0":
        return "0"
    total, end = 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != end:
            return value
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        end = match.end()
    if end != len(text) or end == 0:
        return value
    return str(round(total))


def normalize_decimal(value: str) -> str:
    """`1` = `1.0` = `1.00`; `.5` = `0.5`."""
    try:
        number = float(value)
    except ValueError:
        return value
    return repr(number) if number != int(number) else str(int(number))


def normalize_signal(value: str) -> str:
    """`KILL` = `SIGKILL` = `kill` = `9`."""
    name = value.strip().upper().removeprefix("SIG")
    return SIGNALS.get(name, name)


def normalize_capability(value: str) -> str:
    """`SYS_ADMIN` = `CAP_SYS_ADMIN` = `sys_admin` (the CLI adds CAP_ and upper-cases)."""
    name = value.strip().upper()
    if name == "ALL":
        return name
    return name if name.startswith("CAP_") else "CAP_" + name


def normalize_ulimit(value: str) -> str:
    """`nofile=1024` = `nofile=1024:1024` (a soft limit alone is also the hard one)."""
    name, eq, limits = value.partition("=")
    if not eq:
        return value
    soft, colon, hard = limits.partition(":")
    return f"{name}={soft}:{hard if colon else soft}"


def normalize_host(value: str) -> str:
    """`--add-host db:10.0.0.5` = `db=10.0.0.5`."""
    if "=" in value:
        host, _, address = value.partition("=")
        return f"{host}:{address}"
    return value


def normalize_template(value: str) -> str:
    """Go templates: `{{ .Names }}` = `{{.Names}}` (spaces inside an action do not count)."""
    return _TEMPLATE_ACTION.sub(lambda m: "{{" + " ".join(m.group(1).split()) + "}}", value)


def normalize_file(value: str) -> str:
    """`./f` = `f`; `app/` = `app` (the shell and the CLI resolve both to one file)."""
    while value.startswith("./") and len(value) > 2:
        value = value[2:]
    return normalize_path(value)


def normalize_volume(value: str) -> str:
    """`-v` values: `:rw` is the default mode; a relative source is under the current folder
    (`./data` = `$(pwd)/data`, `.` = `$(pwd)`)."""
    parts = value.split(":")
    if len(parts) >= 3 and parts[-1] == "rw":
        parts = parts[:-1]
    if len(parts) >= 2:
        source = parts[0]
        if source == "." or source.startswith("./"):
            source = "${PWD}" + source[1:]
        parts[0] = source
    return ":".join(parts)


def normalize_restart(value: str) -> str:
    """`on-failure:0` is `on-failure` (no limit on retries), `no:0` is `no`."""
    return value.removesuffix(":0") if value.startswith(("on-failure", "no")) else value


def normalize_throttle(value: str) -> str:
    """`--device-read-bps /dev/sda:1mb` = `/dev/sda:1024kb`: the rate in bytes."""
    device, colon, rate = value.rpartition(":")
    return f"{device}:{normalize_bytes(rate)}" if colon else value


def normalize_exposed(value: str) -> str:
    """`--expose 80` = `--expose 80/tcp`."""
    return value.removesuffix("/tcp")


def normalize_device(value: str) -> str:
    """`--device /dev/snd` = `/dev/snd:/dev/snd` = `/dev/snd:/dev/snd:rwm`."""
    parts = value.split(":")
    if len(parts) == 1:
        parts.append(parts[0])
    if len(parts) == 2:
        parts.append("rwm")
    return ":".join(parts)


def expand_port_range(value: str) -> list[str]:
    """`8000-8001:80-81` -> [`8000:80`, `8001:81`]; anything else as one port."""
    spec = normalize_port(value)
    match = re.fullmatch(r"(?:(.*):)?(\d+)-(\d+):(\d+)-(\d+)(/\w+)?", spec)
    if match:
        ip, h0, h1, c0, c1, proto = match.groups()
        hosts, conts = range(int(h0), int(h1) + 1), range(int(c0), int(c1) + 1)
        if len(hosts) == len(conts):
            prefix = f"{ip}:" if ip else ""
            suffix = proto if proto and proto != "/tcp" else ""
            return [f"{prefix}{h}:{c}{suffix}" for h, c in zip(hosts, conts, strict=True)]
    return [spec]


TYPE_KINDS = {
    "bytes": "bytes",
    "duration": "duration",
    "decimal": "decimal",
    "ulimit": "ulimit",
    "size": "bytes",
    "path": "file",
    "commit": "revision",
}
NAME_KINDS = {
    "signal": "signal",
    "stop-signal": "signal",
    "cap-add": "capability",
    "cap-drop": "capability",
    "add-host": "host",
    "host": "host",
    "format": "template",
    "file": "file",
    "env-file": "file",
    "output": "file",
    "input": "file",
    "cidfile": "file",
    "iidfile": "file",
    "label-file": "file",
    "volume": "volume",
    "compose-file": "file",
    "expose": "exposed",
    "restart": "restart",
    "device-read-bps": "throttle",
    "device-write-bps": "throttle",
    "device": "device",
    "memory": "bytes",
    "memory-swap": "bytes",
    "memory-reservation": "bytes",
    "kernel-memory": "bytes",
    "shm-size": "bytes",
    "limit-memory": "bytes",
    "reserve-memory": "bytes",
    "cpus": "decimal",
    "limit-cpu": "decimal",
    "reserve-cpu": "decimal",
}
_UNIT_SUFFIXES = (
    ".service",
    ".socket",
    ".target",
    ".timer",
    ".mount",
    ".automount",
    ".swap",
    ".path",
    ".slice",
    ".scope",
    ".device",
)


def normalize_unit(value: str) -> str:
    """A systemd unit named without its suffix is a service: `nginx` is `nginx.service`."""
    if not value or is_placeholder(value) or value.endswith(_UNIT_SUFFIXES) or "*" in value:
        return value
    return value + ".service"


_KUBE_TYPES = {
    "pods": ("pod", "po"),
    "services": ("service", "svc"),
    "deployments": ("deployment", "deploy"),
    "replicasets": ("replicaset", "rs"),
    "statefulsets": ("statefulset", "sts"),
    "daemonsets": ("daemonset", "ds"),
    "namespaces": ("namespace", "ns"),
    "nodes": ("node", "no"),
    "configmaps": ("configmap", "cm"),
    "secrets": ("secret",),
    "persistentvolumes": ("persistentvolume", "pv"),
    "persistentvolumeclaims": ("persistentvolumeclaim", "pvc"),
    "serviceaccounts": ("serviceaccount", "sa"),
    "endpoints": ("endpoint", "ep"),
    "events": ("event", "ev"),
    "ingresses": ("ingress", "ing"),
    "jobs": ("job",),
    "cronjobs": ("cronjob", "cj"),
    "horizontalpodautoscalers": ("horizontalpodautoscaler", "hpa"),
    "replicationcontrollers": ("replicationcontroller", "rc"),
    "storageclasses": ("storageclass", "sc"),
    "networkpolicies": ("networkpolicy", "netpol"),
    "customresourcedefinitions": ("customresourcedefinition", "crd", "crds"),
    "roles": ("role",),
    "rolebindings": ("rolebinding",),
    "clusterroles": ("clusterrole",),
    "clusterrolebindings": ("clusterrolebinding",),
    "poddisruptionbudgets": ("poddisruptionbudget", "pdb"),
    "limitranges": ("limitrange", "limits"),
    "resourcequotas": ("resourcequota", "quota"),
    "componentstatuses": ("componentstatus", "cs"),
}
KUBE_TYPES = {name: plural for plural, names in _KUBE_TYPES.items() for name in (plural, *names)}
"""Every way kubectl lets a resource type be written (plural, singular, short name) -> plural."""


def normalize_kube_type(value: str) -> str:
    """`po`, `pod`, `pods`, `Pod` -> `pods`; `deploy/web` -> `deployments/web`; a list
    (`pods,svc`) each; other types as written."""
    if is_placeholder(value):
        return value
    kind, slash, name = value.partition("/")
    kinds = ",".join(KUBE_TYPES.get(k.lower(), k) for k in kind.split(","))
    return kinds + slash + name


_REVISION_SUFFIX = re.compile(r"^(.*?)((?:\^|~\d*)+)$")


def normalize_revision(value: str) -> str:
    """git's ways to name an ancestor: `HEAD^` = `HEAD~` = `HEAD~1`, `HEAD^^` = `HEAD~2`,
    `@` = `HEAD` (a `^N` other than ^1, `A..B`, `:path` and the like stay as written)."""
    if value == "@":
        return "HEAD"
    match = _REVISION_SUFFIX.match(value)
    if not match or not match.group(1) or "^{" in value:
        return value
    base, suffix = match.groups()
    base = "HEAD" if base == "@" else base
    steps = 0
    for part in re.findall(r"\^|~\d*", suffix):
        steps += 1 if part in ("^", "~") else int(part[1:])
    return f"{base}~{steps}" if steps else base


_NORMALIZERS = {
    "revision": normalize_revision,
    "unit": normalize_unit,
    "kubetype": normalize_kube_type,
    "bytes": normalize_bytes,
    "duration": normalize_duration,
    "decimal": normalize_decimal,
    "signal": normalize_signal,
    "capability": normalize_capability,
    "ulimit": normalize_ulimit,
    "host": normalize_host,
    "template": normalize_template,
    "file": normalize_file,
    "dockerfile": normalize_file,
    "exposed": normalize_exposed,
    "restart": normalize_restart,
    "throttle": normalize_throttle,
    "device": normalize_device,
    "volume": normalize_volume,
}
SAME_WORDS = {
    "bytes": "the same size as",
    "duration": "the same duration as",
    "decimal": "the same number as",
    "signal": "the same signal as",
    "capability": "the same capability as",
    "ulimit": "the same limit as",
    "host": "the same host entry as",
    "template": "the same template as",
    "file": "the same file as",
    "dockerfile": "the same file as",
    "volume": "the same volume as",
    "exposed": "the same port as",
    "restart": "the same restart policy as",
    "throttle": "the same rate as",
    "device": "the same device as",
    "image": "the same image as",
    "port": "the same port mapping as",
    "mount": "the same mount as",
}


def kind_of(long: str, type_: str, kind: str | None) -> str | None:
    """How a flag's values compare: its declared kind, else by its type, else by its name."""
    if kind:
        return kind
    return TYPE_KINDS.get(type_) or NAME_KINDS.get(long)


def normalize_typed(kind: str | None, value: str) -> str:
    normalizer = _NORMALIZERS.get(kind or "")
    if normalizer is not None:
        return normalizer(value)
    return normalize_value(kind, value)


def _osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (`ngnix` -> `nginx`)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(
                rows[i - 1][j] + 1,
                row[j - 1] + 1,
                rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def is_misspelling(typed: str, expected: str) -> bool:
    """A misspelt word (`ngnix` for `nginx`, `contianer`), not another value: both have
    letters, they differ in more than digits (`web2` is another name than `web`, `8081`
    another port than `8080`), and by a small edit (a swap of neighbours counts as one)."""
    if typed == expected or len(expected) > 40 or len(typed) > 40:
        return False
    if negated_pair(typed.casefold(), expected.casefold()):
        return False
    if not any(c.isalpha() for c in typed) or not any(c.isalpha() for c in expected):
        return False
    if re.sub(r"\d", "", typed) == re.sub(r"\d", "", expected):
        return False
    limit = 1 if len(expected) <= 5 else 2 if len(expected) <= 12 else 3
    return _osa_distance(typed.casefold(), expected.casefold()) <= min(limit, len(expected) - 1)
