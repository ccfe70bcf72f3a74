"""The named table of typed text: what a learner types for a cloze deletion, and its verdict.

Rows come from the bundled cloze cards (copied here, so a deck edit does not move the table)
and from decks on other topics. Each row grades through `grade_card`, the path `quizapp
grade`, the study screen and the quiz take; `says` is a phrase the explanation must contain.
Look-alikes that must stay wrong sit next to the answers normalisation lets through.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from quizapp.deck.model import ClozeCard
from quizapp.grading import GradeResult, Verdict, grade_card, grade_cloze, grade_typed

R, C, W = Verdict.RIGHT, Verdict.CLOSE, Verdict.WRONG


class Row(NamedTuple):
    id: str
    text: str
    number: int
    typed: str
    verdict: Verdict
    says: str | None = None
    answers: tuple[tuple[str, ...], ...] | None = None
    """Accepted answers per blank (alternatives), instead of the text's own."""


# --- bundled cloze cards (decks/*.yaml)
IMAGE = (
    "An image is a {{c1::read-only template}} with instructions for creating a container; "
    "a container is a {{c2::runnable instance}} of an image."
)
KERNEL = "Containers share the {{c1::kernel}} of their host OS."
NS = (
    "Containers work primarily by two Linux kernel features: {{c1::namespaces}}, which "
    "isolate them, and {{c2::cgroups}}, which govern their resource use."
)
CGROUPS = "`cgroups` is short for {{c1::control groups}}."
STATE = (
    "Historically, containers were well suited to {{c1::stateless}} use-cases but not as "
    "useful for {{c2::stateful}} ones."
)
PORT = (
    "In `docker run -p 8080:80 nginx`, port {{c1::8080}} is on the {{c2::host}} and port 80 "
    "is the one the app listens on inside the container."
)
DETACH = (
    "The default detach sequence is {{c1::Ctrl+P Ctrl+Q}}; you can change it with the "
    "{{c2::--detach-keys}} option or in the CLI's configuration file."
)
STEPS = (
    "To get rid of a container: find its ID with {{c1::docker ps}}, stop it with "
    "{{c2::docker stop}}, then delete it with {{c3::docker rm}}."
)
COMPOSE = (
    "Docker {{c1::Compose}} describes a multi-container app, its services, networks and "
    "volumes, in one YAML file."
)
LAYERS = (
    "An image is a bunch of independent {{c1::layers}} that are loosely connected by a "
    "{{c2::manifest}} file."
)
DOCKERFILE = "A {{c1::Dockerfile}} is a list of instructions for how to build an image of your app."
ALPINE = (
    "`FROM {{c1::alpine}}` starts the image from Alpine Linux, a popular base image because "
    "it is small (under 6 MB) yet a full Linux distribution."
)
APK = "Install Node.js and npm on Alpine with `RUN apk add --update {{c1::nodejs}} {{c2::npm}}`."
WORKDIR = (
    'In `ENTRYPOINT ["node", "./app.js"]`, the path ./app.js is relative to the '
    "{{c1::WORKDIR}} location."
)
FORMS = (
    '`ENTRYPOINT ["node", "./app.js"]` is the {{c1::exec}} form; `ENTRYPOINT node ./app.js` '
    "is the {{c2::shell}} form, which runs under `/bin/sh -c`."
)
STAGES = (
    "A multi-stage build is a single Dockerfile with multiple {{c1::FROM}} instructions; "
    "each one begins a new {{c2::stage}} of the build."
)
STAGE_NAMES = (
    "To name a stage build, write its FROM line as `FROM golang {{c1::AS build}}`; unnamed "
    "stages are referred to by number, starting at {{c2::0}}."
)
PRACTICES = (
    "The notes' image best practices: use {{c1::official}} images, keep images "
    "{{c2::small}}, and reference {{c3::specific releases}} of images, not always latest."
)
LOGS = (
    "The two main types of logs are {{c1::daemon}} logs, from the Docker daemon itself, and "
    "{{c2::container}} logs, from your applications."
)
APP_LOGS = "Container logs are also called {{c1::application}} logs."
DRIVERS = (
    "Docker supports {{c1::logging drivers}}, such as Splunk, which send container logs to "
    "other back-ends; the default is {{c2::json-file}}."
)
DAEMON_JSON = (
    "In `daemon.json`, the key {{c1::log-driver}} sets the default logging driver and "
    "{{c2::log-opts}} sets its options."
)
BRIDGE = (
    "On a bridge network each container gets its own {{c1::IP address}}; the bridge itself "
    "works at {{c2::layer 2}}, the link layer."
)
OVERLAY = (
    "`docker network create -d overlay {{c1::-o encrypted}} secure-net` encrypts the "
    "overlay's data plane; the control plane is encrypted {{c2::by default}}."
)
DNS = "Every new service gets a {{c1::name}}, which is registered with {{c2::Swarm DNS}}."
IPVS = (
    "A node that receives a request on a published port hands it to {{c1::IPVS}}, which "
    "picks one of the service's tasks and routes the request to it over the {{c2::ingress}} "
    "network."
)
WRITABLE = (
    "Files a container creates are stored in its {{c1::writable}} container layer, on top of "
    "the image's {{c2::read-only}} layers."
)
VOLUME = (
    "A volume lives {{c1::outside}} the container and is mounted inside it at a specific "
    "{{c2::mount point}}."
)
MOUNT = (
    "In `--mount source=voltest,target=/vol`, {{c1::source}} is the name of the volume and "
    "{{c2::target}} is where it is mounted inside the container."
)
RAFT = (
    "With N managers, Raft tolerates up to {{c1::(N-1)/2}} failures and needs a quorum of "
    "{{c2::(N/2)+1}} managers to agree on a change."
)
AUTOLOCK = (
    "Create a swarm that locks its managers with `docker swarm init {{c1::--autolock}}`; a "
    "restarted, locked manager is unlocked with `docker swarm {{c2::unlock}}`."
)
SECRET = (
    "A {{c1::secret}} is anything sensitive your app needs at run time (passwords, "
    "certificates, SSH keys, even the names of services or databases) that should not be "
    "stored in the image or in source control."
)
STACKS = (
    "Individual code files form the basis of containers; containers form the basis of "
    "multi-container {{c1::services}}, which in turn form the basis of {{c2::stacks}}."
)

# --- decks on other topics
CANBERRA = "The capital of Australia is {{c1::Canberra}}."
EVEREST = "Mount Everest is in the {{c1::Himalayas}}."
NILE = "The Nile flows into the {{c1::Mediterranean Sea}}."
WATER = "Water is made of {{c1::two}} hydrogen atoms and {{c2::one}} oxygen atom."
SALT = "Table salt is {{c1::sodium chloride}}."
PROTEINS = "Proteins are built from {{c1::amino acids}}."
MITO = "Mitochondria are the {{c1::powerhouse}} of the cell."
DNA = "DNA stands for {{c1::deoxyribonucleic acid}}."
WALL = "The Berlin Wall fell in {{c1::1989}}."
MAGNA = "The Magna Carta was sealed by King {{c1::John}} in 1215."
LEN = "Python's `len()` returns the {{c1::number of items}} in a container."
RECURSIVE = "A function that calls itself is {{c1::recursive}}."
HTTP = "HTTP status {{c1::404}} means the resource was not found."
BYTE = "A byte has {{c1::eight}} bits."
TIMEOUT = "The request timeout defaults to {{c1::30}} seconds."
WEEK = "A week has {{c1::seven}} days."
SHAPES = "A triangle has {{c1::three}} sides and a square has {{c2::four}}."
ISOLATION = "Docker isolates containers with {{c1::namespaces and cgroups}}."
COLOURS = "The primary colours of light are {{c1::red, green and blue}}."
CAPITALS = "{{c1::Paris}} is the capital of France and {{c1::Berlin}} the capital of Germany."
LISTED = "Containers use {{c1::namespaces}} and {{c1::cgroups}} to stay apart."
NAMED_VOLUME = "A {{c1::volume}} outlives its container; name the {{c1::volume}} when you make it."
BIND = "Bind mounts are {{c1::not managed}} by Docker."
ANYONE = "Pick {{c1::any one}} of the nodes, but not one that {{c2::anyone}} else uses."
A_VOLUME = "Store it in {{c1::a volume}}: the data lives in the {{c2::volume}} itself."
TWO_TWO = "Use {{c1::two}} replicas per node and {{c2::2}} managers."
HELLO = "The classic first program prints {{c1::Hello, world}}."
SPEED = "Light travels about {{c1::300,000}} kilometres per second."
QUOTE = "Descartes wrote “I think, therefore {{c1::I am}}”."

ROWS = [
    # --- compounds: hyphen, space and nothing between the parts
    Row("template-exact", IMAGE, 1, "read-only template", R),
    Row("template-capitals", IMAGE, 1, "Read-Only Template", R),
    Row("template-space", IMAGE, 1, "read only template", R, "= read-only template"),
    Row("template-joined", IMAGE, 1, "readonly template", R, "right: readonly template"),
    Row("template-full-stop", IMAGE, 1, "read-only template.", R, "right:"),
    Row("template-nb-hyphen", IMAGE, 1, "read\u2011only template", R),
    Row("template-em-dash", IMAGE, 1, "read\u2014only template", R),
    Row("template-article-supplied", IMAGE, 1, "a read-only template", R, "right:"),
    Row("template-curly-quotes", IMAGE, 1, "\u201cread-only template\u201d", R),
    Row("template-ellipsis", IMAGE, 1, "read-only template\u2026", R),
    Row("template-spaces", IMAGE, 1, "  read-only    template ", R),
    Row("template-misspelt", IMAGE, 1, "read-only tempalte", C, "tempalte is a misspelling"),
    Row("template-misspelt-part", IMAGE, 1, "raed-only template", C, "misspelling"),
    Row("template-plural", IMAGE, 1, "read-only templates", C, "misspelling"),
    Row("template-only-noun", IMAGE, 1, "template", W),
    Row("template-half-compound", IMAGE, 1, "read template", W),
    Row("template-other-word", IMAGE, 1, "writable template", W),
    Row("template-read-write", IMAGE, 1, "read-write template", W),
    Row("template-negated", IMAGE, 1, "not a read-only template", W, "negation"),
    Row("template-other-noun", IMAGE, 1, "read-only image", W),
    Row("template-extra-word", IMAGE, 1, "read-only template file", W),
    Row("instance-exact", IMAGE, 2, "runnable instance", R),
    Row("instance-article", IMAGE, 2, "a runnable instance", R),
    Row("instance-misspelt", IMAGE, 2, "runable instance", C, "runable is a misspelling"),
    Row("instance-running", IMAGE, 2, "running instance", W),
    Row("instance-missing-word", IMAGE, 2, "instance", W),
    Row("instance-other-blank", IMAGE, 2, "read-only template", W, "another blank"),
    # --- articles the text supplies
    Row("kernel-exact", KERNEL, 1, "kernel", R),
    Row("kernel-article-supplied", KERNEL, 1, "the kernel", R, "right: the kernel = kernel"),
    Row("kernel-capital-stop", KERNEL, 1, "Kernel.", R),
    Row("kernel-misspelt", KERNEL, 1, "kernal", C, "misspelling"),
    Row("kernel-plural", KERNEL, 1, "kernels", C),
    Row("kernel-colonel", KERNEL, 1, "colonel", W),
    Row("kernel-too-short", KERNEL, 1, "kern", W),
    Row("kernel-host", KERNEL, 1, "host", W),
    Row("ns-exact", NS, 1, "namespaces", R),
    Row("ns-singular", NS, 1, "namespace", C),
    Row("ns-misspelt", NS, 1, "namspaces", C),
    Row("ns-other-blank", NS, 1, "cgroups", W, "another blank"),
    Row("cgroups-exact", NS, 2, "cgroups", R),
    Row("cgroups-singular", NS, 2, "cgroup", C),
    Row("cgroups-hyphen", NS, 2, "c-groups", R),
    Row("cgroups-long-name", NS, 2, "control groups", W),
    Row("control-groups-exact", CGROUPS, 1, "control groups", R),
    Row("control-groups-stop", CGROUPS, 1, "Control Groups.", R),
    Row("control-groups-hyphen", CGROUPS, 1, "control-groups", R),
    Row("control-groups-joined", CGROUPS, 1, "controlgroups", R),
    Row("control-groups-singular", CGROUPS, 1, "control group", C),
    Row("control-groups-misspelt", CGROUPS, 1, "controll groups", C),
    Row("control-groups-missing", CGROUPS, 1, "groups", W),
    Row("control-groups-other", CGROUPS, 1, "container groups", W),
    # --- opposites stay wrong
    Row("stateless-exact", STATE, 1, "stateless", R),
    Row("stateless-hyphen", STATE, 1, "state-less", R),
    Row("stateless-space", STATE, 1, "state less", R),
    Row("stateless-opposite", STATE, 1, "stateful", W, "another blank"),
    Row("stateless-misspelt", STATE, 1, "statelss", C),
    Row("stateless-negated", STATE, 1, "not stateful", W),
    Row("stateful-exact", STATE, 2, "stateful", R),
    Row("stateful-double-l", STATE, 2, "statefull", C),
    Row("stateful-hyphen-misspelt", STATE, 2, "state-full", C),
    Row("stateful-opposite", STATE, 2, "stateless", W),
    # --- numbers
    Row("port-exact", PORT, 1, "8080", R),
    Row("port-stop", PORT, 1, "8080.", R),
    Row("port-repeats-text", PORT, 1, "port 8080", R),
    Row("port-container-side", PORT, 1, "80", W),
    Row("port-digits-swapped", PORT, 1, "8008", W),
    Row("host-exact", PORT, 2, "host", R),
    Row("host-article", PORT, 2, "the host", R, "right: the host = host"),
    Row("host-article-stop", PORT, 2, "The host.", R),
    Row("host-other-article", PORT, 2, "a host", R),
    Row("host-swapped-letters", PORT, 2, "hots", C),
    Row("host-changed-letter", PORT, 2, "hose", W),
    Row("host-most", PORT, 2, "most", W),
    Row("host-container", PORT, 2, "the container", W),
    Row("detach-seq-exact", DETACH, 1, "ctrl+p ctrl+q", R),
    Row("detach-seq-capitals", DETACH, 1, "CTRL+P CTRL+Q", R),
    Row("detach-seq-reversed", DETACH, 1, "ctrl+q ctrl+p", W),
    Row("detach-seq-ctrl-c", DETACH, 1, "Ctrl+C", W),
    Row("detach-keys-exact", DETACH, 2, "--detach-keys", R),
    Row("detach-keys-one-key", DETACH, 2, "--detach-key", C),
    Row("detach-keys-spaced", DETACH, 2, "--detach keys", C),
    Row("detach-keys-other-flag", DETACH, 2, "--detach", W),
    Row("steps-ps", STEPS, 1, "docker ps", R),
    Row("steps-container-ls", STEPS, 1, "docker container ls", R),
    Row("steps-ls", STEPS, 1, "docker ls", W),
    Row("steps-stop-alias", STEPS, 2, "docker container stop", R),
    Row("steps-rm-alias", STEPS, 3, "docker container rm", R),
    Row("steps-rmi", STEPS, 3, "docker rmi", W),
    Row("compose-exact", COMPOSE, 1, "compose", R),
    Row("compose-repeats-docker", COMPOSE, 1, "Docker Compose", R),
    Row("compose-misspelt", COMPOSE, 1, "compse", C),
    Row("compose-swarm", COMPOSE, 1, "Swarm", W),
    Row("layers-exact", LAYERS, 1, "layers", R),
    Row("layers-singular", LAYERS, 1, "layer", C),
    Row("layers-levels", LAYERS, 1, "levels", W),
    Row("manifest-exact", LAYERS, 2, "manifest", R),
    Row("manifest-swapped", LAYERS, 2, "manifset", C),
    Row("manifest-article", LAYERS, 2, "a manifest", R),
    Row("manifest-file-named", LAYERS, 2, "manifest file", R),
    Row("dockerfile-lower", DOCKERFILE, 1, "dockerfile", R),
    Row("dockerfile-spaced", DOCKERFILE, 1, "Docker file", R),
    Row("dockerfile-article", DOCKERFILE, 1, "a Dockerfile", R),
    Row("dockerfile-swapped", DOCKERFILE, 1, "Dokcerfile", C),
    Row("dockerfile-makefile", DOCKERFILE, 1, "Makefile", W),
    Row("dockerfile-compose-file", DOCKERFILE, 1, "compose file", W),
    Row("alpine-capital", ALPINE, 1, "Alpine", R),
    Row("alpine-short", ALPINE, 1, "alpin", C),
    Row("alpine-swapped", ALPINE, 1, "apline", C),
    Row("alpine-ubuntu", ALPINE, 1, "ubuntu", W),
    Row("nodejs-exact", APK, 1, "nodejs", R),
    Row("nodejs-node", APK, 1, "node", W),
    Row("npm-exact", APK, 2, "npm", R),
    Row("npm-three-letters", APK, 2, "nmp", W),
    Row("workdir-lower", WORKDIR, 1, "workdir", R),
    Row("workdir-spaced", WORKDIR, 1, "work dir", R),
    Row("workdir-article-supplied", WORKDIR, 1, "the WORKDIR", R),
    Row("workdir-swapped", WORKDIR, 1, "WORKIDR", C),
    Row("workdir-pwd", WORKDIR, 1, "PWD", W),
    Row("exec-exact", FORMS, 1, "exec", R),
    Row("exec-form-named", FORMS, 1, "exec form", R),
    Row("exec-swapped", FORMS, 1, "exce", C),
    Row("exec-three-letters", FORMS, 1, "exe", W),
    Row("exec-other-blank", FORMS, 1, "shell", W),
    Row("shell-short", FORMS, 2, "shel", C),
    Row("shell-sh", FORMS, 2, "sh", W),
    Row("from-lower", STAGES, 1, "from", R),
    Row("from-instructions-named", STAGES, 1, "FROM instructions", R),
    Row("from-run", STAGES, 1, "RUN", W),
    Row("stage-plural", STAGES, 2, "stages", C),
    Row("stage-step", STAGES, 2, "step", W),
    Row("as-build-lower", STAGE_NAMES, 1, "as build", R),
    Row("as-build-missing-as", STAGE_NAMES, 1, "build", W),
    Row("as-built", STAGE_NAMES, 1, "AS built", W),
    Row("stage-zero-digit", STAGE_NAMES, 2, "0", R),
    Row("stage-zero-word", STAGE_NAMES, 2, "zero", R, "right: zero = 0"),
    Row("stage-one", STAGE_NAMES, 2, "1", W),
    Row("stage-one-word", STAGE_NAMES, 2, "one", W),
    Row("official-exact", PRACTICES, 1, "official", R),
    Row("official-misspelt", PRACTICES, 1, "offical", C),
    Row("official-negated", PRACTICES, 1, "unofficial", W),
    Row("small-short", PRACTICES, 2, "smal", C),
    Row("small-smaller", PRACTICES, 2, "smaller", W),
    Row("small-large", PRACTICES, 2, "large", W),
    Row("releases-exact", PRACTICES, 3, "specific releases", R),
    Row("releases-misspelt", PRACTICES, 3, "specifc releases", C),
    Row("releases-other", PRACTICES, 3, "specific versions", W),
    Row("releases-missing", PRACTICES, 3, "releases", W),
    Row("daemon-exact", LOGS, 1, "daemon", R),
    Row("daemon-swapped", LOGS, 1, "deamon", C),
    Row("daemon-logs-named", LOGS, 1, "daemon logs", R),
    Row("daemon-other-blank", LOGS, 1, "container", W),
    Row("container-logs-plural", LOGS, 2, "containers", C),
    Row("container-application", LOGS, 2, "application", W),
    Row("application-exact", APP_LOGS, 1, "application", R),
    Row("application-logs-named", APP_LOGS, 1, "application logs", R),
    Row("application-misspelt", APP_LOGS, 1, "applicaton", C),
    Row("application-app", APP_LOGS, 1, "app", W),
    Row("drivers-exact", DRIVERS, 1, "logging drivers", R),
    Row("drivers-hyphen", DRIVERS, 1, "logging-drivers", R),
    Row("drivers-singular", DRIVERS, 1, "logging driver", C),
    Row("drivers-missing", DRIVERS, 1, "drivers", W),
    Row("drivers-log", DRIVERS, 1, "log drivers", W),
    Row("json-file-exact", DRIVERS, 2, "json-file", R),
    Row("json-file-space", DRIVERS, 2, "json file", R, "right: json file = json-file"),
    Row("json-file-joined", DRIVERS, 2, "jsonfile", R),
    Row("json-file-capitals", DRIVERS, 2, "JSON-File", R),
    Row("json-file-article", DRIVERS, 2, "the json-file", R),
    Row("json-file-swapped", DRIVERS, 2, "json-flie", C),
    Row("json-file-json", DRIVERS, 2, "json", W),
    Row("json-file-journald", DRIVERS, 2, "journald", W),
    Row("log-driver-space", DAEMON_JSON, 1, "log driver", R),
    Row("log-driver-joined", DAEMON_JSON, 1, "logdriver", R),
    Row("log-driver-plural", DAEMON_JSON, 1, "log-drivers", C),
    Row("log-driver-other-blank", DAEMON_JSON, 1, "log-opts", W, "another blank"),
    Row("log-opts-short", DAEMON_JSON, 2, "log-opt", W),
    Row("log-opts-options", DAEMON_JSON, 2, "log-options", W),
    Row("ip-exact", BRIDGE, 1, "IP address", R),
    Row("ip-hyphen", BRIDGE, 1, "ip-address", R),
    Row("ip-article", BRIDGE, 1, "an IP address", R),
    Row("ip-misspelt", BRIDGE, 1, "IP adress", C),
    Row("ip-plural", BRIDGE, 1, "IP addresses", C),
    Row("ip-missing", BRIDGE, 1, "IP", W),
    Row("ip-mac", BRIDGE, 1, "MAC address", W),
    Row("layer-exact", BRIDGE, 2, "layer 2", R),
    Row("layer-word", BRIDGE, 2, "layer two", R, "right: layer two = layer 2"),
    Row("layer-hyphen", BRIDGE, 2, "Layer-2", R),
    Row("layer-stop", BRIDGE, 2, "layer 2.", R),
    Row("layer-three", BRIDGE, 2, "layer 3", W, "3 is not 2"),
    Row("layer-three-word", BRIDGE, 2, "layer three", W),
    Row("layer-twenty", BRIDGE, 2, "layer twenty", W),
    Row("layer-no-number", BRIDGE, 2, "layer", W),
    Row("layer-level", BRIDGE, 2, "level 2", W),
    Row("encrypted-exact", OVERLAY, 1, "-o encrypted", R),
    Row("encrypted-misspelt", OVERLAY, 1, "-o encrytped", C),
    Row("encrypted-negated", OVERLAY, 1, "-o unencrypted", W),
    Row("encrypted-no-flag", OVERLAY, 1, "encrypted", W),
    Row("default-exact", OVERLAY, 2, "By default.", R),
    Row("default-missing-by", OVERLAY, 2, "default", W),
    Row("default-negated", OVERLAY, 2, "not by default", W, "negation"),
    Row("default-misspelt", OVERLAY, 2, "by defualt", C),
    Row("name-article-supplied", DNS, 1, "a name", R),
    Row("name-plural", DNS, 1, "names", C),
    Row("name-swapped", DNS, 1, "nmae", C),
    Row("name-id", DNS, 1, "ID", W),
    Row("swarm-dns-lower", DNS, 2, "swarm dns", R),
    Row("swarm-dns-article", DNS, 2, "the Swarm DNS", R),
    Row("swarm-dns-missing", DNS, 2, "DNS", W),
    Row("swarm-dns-three-letters", DNS, 2, "swarm dsn", W),
    Row("ipvs-stop", IPVS, 1, "IPVS.", R),
    Row("ipvs-swapped", IPVS, 1, "ipsv", C),
    Row("ipvs-iptables", IPVS, 1, "iptables", W),
    Row("ingress-exact", IPVS, 2, "ingress", R),
    Row("ingress-egress", IPVS, 2, "egress", W),
    Row("ingress-short", IPVS, 2, "ingres", C),
    Row("ingress-network-named", IPVS, 2, "ingress network", R),
    Row("ingress-article-supplied", IPVS, 2, "the ingress", R),
    Row("writable-exact", WRITABLE, 1, "writable", R),
    Row("writable-with-e", WRITABLE, 1, "writeable", C),
    Row("writable-readable", WRITABLE, 1, "readable", W),
    Row("writable-other-blank", WRITABLE, 1, "read-only", W),
    Row("writable-container-named", WRITABLE, 1, "writable container", R),
    Row("read-only-space", WRITABLE, 2, "read only", R, "right: read only = read-only"),
    Row("read-only-joined", WRITABLE, 2, "readonly", R),
    Row("read-only-ro", WRITABLE, 2, "RO", W),
    Row("read-only-read-write", WRITABLE, 2, "read-write", W),
    Row("outside-exact", VOLUME, 1, "outside", R),
    Row("outside-inside", VOLUME, 1, "inside", W),
    Row("outside-swapped", VOLUME, 1, "outisde", C),
    Row("outside-negated", VOLUME, 1, "not outside", W),
    Row("mount-point-joined", VOLUME, 2, "mountpoint", R),
    Row("mount-point-hyphen", VOLUME, 2, "mount-point", R),
    Row("mount-point-misspelt", VOLUME, 2, "mount piont", C),
    Row("mount-point-missing", VOLUME, 2, "mount", W),
    Row("source-exact", MOUNT, 1, "source", R),
    Row("source-src", MOUNT, 1, "src", W),
    Row("source-other-blank", MOUNT, 1, "target", W),
    Row("source-swapped", MOUNT, 1, "soruce", C),
    Row("target-swapped", MOUNT, 2, "tagret", C),
    Row("target-destination", MOUNT, 2, "destination", W),
    Row("raft-exact", RAFT, 1, "(N-1)/2", R),
    Row("raft-spaced", RAFT, 1, "(N - 1)/2", R),
    Row("raft-plus", RAFT, 1, "(N+1)/2", W),
    Row("raft-half", RAFT, 1, "N/2", W),
    Row("raft-other-blank", RAFT, 1, "(N/2)+1", W),
    Row("quorum-exact", RAFT, 2, "(n/2)+1", R),
    Row("quorum-plus-two", RAFT, 2, "(N/2)+2", W),
    Row("autolock-exact", AUTOLOCK, 1, "--autolock", R),
    Row("autolock-hyphen", AUTOLOCK, 1, "--auto-lock", C),
    Row("autolock-lock", AUTOLOCK, 1, "--lock", W),
    Row("unlock-exact", AUTOLOCK, 2, "Unlock.", R),
    Row("unlock-lock", AUTOLOCK, 2, "lock", W),
    Row("unlock-swapped", AUTOLOCK, 2, "unlcok", C),
    Row("secret-article", SECRET, 1, "a secret", R),
    Row("secret-plural", SECRET, 1, "secrets", C),
    Row("secret-swapped", SECRET, 1, "secert", C),
    Row("secret-config", SECRET, 1, "config", W),
    Row("secret-password", SECRET, 1, "password", W),
    Row("services-singular", STACKS, 1, "service", C),
    Row("services-other-blank", STACKS, 1, "stacks", W),
    Row("stacks-singular", STACKS, 2, "stack", C),
    Row("stacks-swarms", STACKS, 2, "swarms", W),
    # --- other topics
    Row("canberra-lower", CANBERRA, 1, "canberra", R),
    Row("canberra-misspelt", CANBERRA, 1, "Canbera", C),
    Row("canberra-sydney", CANBERRA, 1, "Sydney", W),
    Row("himalayas-article", EVEREST, 1, "the Himalayas", R),
    Row("himalayas-singular", EVEREST, 1, "Himalaya", C),
    Row("himalayas-alps", EVEREST, 1, "Alps", W),
    Row("nile-stop", NILE, 1, "the Mediterranean sea.", R),
    Row("nile-misspelt", NILE, 1, "Mediteranean Sea", C),
    Row("nile-missing", NILE, 1, "Mediterranean", W),
    Row("nile-red-sea", NILE, 1, "Red Sea", W),
    Row("water-digit", WATER, 1, "2", R, "right: 2 = two"),
    Row("water-word", WATER, 1, "two", R),
    Row("water-unit-named", WATER, 1, "2 hydrogen atoms", R),
    Row("water-three", WATER, 1, "three", W),
    Row("water-3", WATER, 1, "3", W),
    Row("water-one", WATER, 2, "1", R),
    Row("water-an", WATER, 2, "an", W),
    Row("salt-exact", SALT, 1, "sodium chloride", R),
    Row("salt-hyphen", SALT, 1, "sodium-chloride", R),
    Row("salt-misspelt", SALT, 1, "sodium chlorid", C),
    Row("salt-formula", SALT, 1, "NaCl", W),
    Row("salt-missing", SALT, 1, "sodium", W),
    Row("amino-hyphen", PROTEINS, 1, "amino-acids", R),
    Row("amino-joined", PROTEINS, 1, "aminoacids", R),
    Row("amino-singular", PROTEINS, 1, "amino acid", C),
    Row("amino-nucleic", PROTEINS, 1, "nucleic acids", W),
    Row("amino-fatty", PROTEINS, 1, "fatty acids", W),
    Row("powerhouse-spaced", MITO, 1, "power house", R),
    Row("powerhouse-article", MITO, 1, "the powerhouse", R),
    Row("powerhouse-misspelt", MITO, 1, "powerhose", C),
    Row("powerhouse-station", MITO, 1, "power station", W),
    Row("dna-exact", DNA, 1, "Deoxyribonucleic acid", R),
    Row("dna-misspelt", DNA, 1, "deoxyribonuclaic acid", C),
    Row("dna-missing", DNA, 1, "deoxyribonucleic", W),
    Row("dna-rna", DNA, 1, "ribonucleic acid", W),
    Row("wall-exact", WALL, 1, "1989", R),
    Row("wall-in-named", WALL, 1, "in 1989", R),
    Row("wall-wrong-year", WALL, 1, "1988", W),
    Row("john-exact", MAGNA, 1, "john", R),
    Row("john-king-named", MAGNA, 1, "King John", R),
    Row("john-three-letters", MAGNA, 1, "Jon", W),
    Row("john-henry", MAGNA, 1, "Henry", W),
    Row("len-article", LEN, 1, "the number of items", R),
    Row("len-missing-of", LEN, 1, "number items", C, "one word missing: of"),
    Row("len-misspelt", LEN, 1, "numbr of items", C),
    Row("len-elements", LEN, 1, "number of elements", W),
    Row("len-count", LEN, 1, "count of items", W),
    Row("recursive-exact", RECURSIVE, 1, "recursive", R),
    Row("recursive-misspelt", RECURSIVE, 1, "recusive", C),
    Row("recursive-iterative", RECURSIVE, 1, "iterative", W),
    Row("recursive-negated", RECURSIVE, 1, "not recursive", W, "negation"),
    Row("recursive-non", RECURSIVE, 1, "non-recursive", W),
    Row("http-exact", HTTP, 1, "404", R),
    Row("http-403", HTTP, 1, "403", W),
    Row("byte-digit", BYTE, 1, "8", R),
    Row("byte-unit-named", BYTE, 1, "8 bits", R, "right: 8 bits = eight"),
    Row("byte-unit-singular", BYTE, 1, "8 bit", W),
    Row("byte-seven", BYTE, 1, "seven", W),
    Row("byte-misspelt-number", BYTE, 1, "eigth", W),
    Row("timeout-exact", TIMEOUT, 1, "30", R),
    Row("timeout-unit-named", TIMEOUT, 1, "30 seconds", R, "right: 30 seconds = 30"),
    Row("timeout-unit-stop", TIMEOUT, 1, "30 seconds.", R),
    Row("timeout-other-unit", TIMEOUT, 1, "30 minutes", W),
    Row("timeout-word-beyond-twenty", TIMEOUT, 1, "thirty", W),
    Row("timeout-other-number", TIMEOUT, 1, "20 seconds", W),
    Row("week-digit", WEEK, 1, "7", R),
    Row("week-unit", WEEK, 1, "seven days.", R),
    Row("week-six", WEEK, 1, "6", W),
    Row("shapes-three", SHAPES, 1, "3", R),
    Row("shapes-three-sides", SHAPES, 1, "three sides", R),
    Row("shapes-four", SHAPES, 2, "4", R),
    Row("shapes-other-blank", SHAPES, 1, "4", W),
    # --- list answers: items in any order
    Row("list-exact", ISOLATION, 1, "namespaces and cgroups", R),
    Row("list-swapped", ISOLATION, 1, "cgroups and namespaces", R, "right:"),
    Row("list-comma", ISOLATION, 1, "namespaces, cgroups", R),
    Row("list-ampersand", ISOLATION, 1, "cgroups & namespaces", R),
    Row("list-stop", ISOLATION, 1, "Namespaces and cgroups.", R),
    Row("list-one-item", ISOLATION, 1, "namespaces", W),
    Row("list-or", ISOLATION, 1, "namespaces or cgroups", W),
    Row("list-look-alike-item", ISOLATION, 1, "namespaces and groups", W),
    Row("list-misspelt-item", ISOLATION, 1, "namespaces and cgroup", C, "misspelling"),
    Row("list-extra-item", ISOLATION, 1, "namespaces, cgroups and seccomp", W),
    Row("colours-exact", COLOURS, 1, "red, green and blue", R),
    Row("colours-reordered", COLOURS, 1, "blue, green and red", R),
    Row("colours-commas", COLOURS, 1, "red, green, blue", R),
    Row("colours-spaces", COLOURS, 1, "red green blue", R),
    Row("colours-missing-item", COLOURS, 1, "red and green", C, "one item missing: blue"),
    Row("colours-wrong-item", COLOURS, 1, "red, green and yellow", W),
    Row("colours-or", COLOURS, 1, "red, green or blue", W),
    # --- several blanks of one deletion: in order
    Row("capitals-comma", CAPITALS, 1, "Paris, Berlin", R),
    Row("capitals-space", CAPITALS, 1, "paris berlin", R),
    Row("capitals-semicolon", CAPITALS, 1, "Paris; Berlin", R),
    Row("capitals-stop", CAPITALS, 1, "paris, berlin.", R),
    Row("capitals-reversed", CAPITALS, 1, "Berlin, Paris", W, "in this order"),
    Row("capitals-one", CAPITALS, 1, "Paris", W),
    Row("capitals-misspelt", CAPITALS, 1, "Pairs, Berlin", C),
    Row("capitals-and", CAPITALS, 1, "Paris and Berlin", R),
    Row("capitals-and-reversed", CAPITALS, 1, "Berlin and Paris", W),
    Row("listed-blanks-in-order", LISTED, 1, "namespaces and cgroups", R),
    Row("listed-blanks-reversed", LISTED, 1, "cgroups and namespaces", R, "= namespaces, cgroups"),
    Row("listed-blanks-comma", LISTED, 1, "cgroups, namespaces", R),
    Row("listed-blanks-one", LISTED, 1, "namespaces", W, "in any order"),
    Row("listed-blanks-misspelt", LISTED, 1, "namespces and cgroups", C, "misspelling"),
    Row("listed-blanks-twice", LISTED, 1, "cgroups and cgroups", W),
    Row("same-blank-once", NAMED_VOLUME, 1, "volume", R),
    Row("same-blank-twice", NAMED_VOLUME, 1, "volume, volume", R),
    Row("same-blank-plural", NAMED_VOLUME, 1, "volumes", C),
    Row("same-blank-other", NAMED_VOLUME, 1, "container", W),
    # --- negations
    Row("negated-exact", BIND, 1, "not managed", R),
    Row("negated-dropped", BIND, 1, "managed", W, "negation"),
    Row("negated-un", BIND, 1, "unmanaged", W),
    Row("negated-misspelt", BIND, 1, "not manged", C),
    Row("negated-never", BIND, 1, "never managed", W),
    # --- a rule that would make two accepted answers of the card equal is not used
    Row("guard-join-spaced", ANYONE, 1, "any-one", R),
    Row("guard-join-other-blank", ANYONE, 1, "anyone", W, "another blank"),
    Row("guard-join-reverse", ANYONE, 2, "any one", W),
    Row("guard-article-kept", A_VOLUME, 1, "a volume", R),
    Row("guard-article-needed", A_VOLUME, 1, "volume", W),
    Row("guard-article-supplied", A_VOLUME, 2, "the volume", R),
    Row("guard-numbers-word", TWO_TWO, 1, "two", R),
    Row("guard-numbers-digit", TWO_TWO, 1, "2", W),
    # --- punctuation inside the answer
    Row("hello-exact", HELLO, 1, "Hello, world", R),
    Row("hello-quoted", HELLO, 1, "\u201cHello, world!\u201d", R),
    Row("hello-no-comma", HELLO, 1, "hello world", R),
    Row("hello-reversed", HELLO, 1, "world, hello", W),
    Row("speed-exact", SPEED, 1, "300,000", R),
    Row("speed-other", SPEED, 1, "300,001", W),
    Row("quote-exact", QUOTE, 1, "I am", R),
    Row("quote-straight", QUOTE, 1, '"I am"', R),
    Row("quote-negated", QUOTE, 1, "I am not", W),
    # --- alternatives per blank (`answers`), as a deck may accept them
    Row("alt-canonical", WRITABLE, 2, "read-only", R, None, (("read-only", "ro"),)),
    Row("alt-other", WRITABLE, 2, "RO", R, None, (("read-only", "ro"),)),
    Row("alt-misspelt", WRITABLE, 2, "raed-only", C, None, (("read-only", "ro"),)),
    Row("alt-wrong", WRITABLE, 2, "rw", W, None, (("read-only", "ro"),)),
]


def grade(row: Row) -> GradeResult:
    if row.answers is not None:
        return grade_cloze(row.typed, row.answers, text=row.text, number=row.number)
    return grade_card(ClozeCard(id=row.id, text=row.text), row.typed, row.number)


def test_the_table_is_large_and_named() -> None:
    assert len(ROWS) >= 150
    assert len({row.id for row in ROWS}) == len(ROWS)
    verdicts = {row.verdict for row in ROWS}
    assert verdicts == {R, C, W}


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_typed_text_table(row: Row) -> None:
    result = grade(row)
    assert result.verdict is row.verdict, result.explanations
    if row.says is not None:
        assert any(row.says in e for e in result.explanations), result.explanations
    if row.verdict is R:
        notes = [e for e in result.explanations if e.startswith("right: ")]
        assert all(" = " in e for e in notes)


TYPED_ROWS = [
    # (question, accepted answers, typed, verdict): typed-answer cards that are not clozes
    ("What does `-d` stand for in `docker run -d`?", ("detached", "detach"), "Detached.", R),
    ("What does `-d` stand for in `docker run -d`?", ("detached", "detach"), "detach", R),
    ("What does `-d` stand for in `docker run -d`?", ("detached",), "dettached", C),
    ("What does `-d` stand for in `docker run -d`?", ("detached",), "attached", W),
    ("Which file lists what `docker build` skips?", (".dockerignore",), ".dockerignore", R),
    ("How many layers does `FROM scratch` add?", ("zero", "none"), "0", R),
    ("How many layers does `FROM scratch` add?", ("zero",), "1", W),
    ("What kind of filesystem is an image's?", ("read-only",), "read only", R),
    ("What kind of filesystem is an image's?", ("read-only",), "not read-only", W),
]


@pytest.mark.parametrize(("question", "answers", "typed", "verdict"), TYPED_ROWS)
def test_typed_answer_cards(
    question: str, answers: tuple[str, ...], typed: str, verdict: Verdict
) -> None:
    assert grade_typed(typed, answers, question).verdict is verdict


def test_right_after_normalisation_names_the_canonical_form() -> None:
    result = grade_typed("read only", ("read-only",))
    assert result.explanations == ("right: read only = read-only",)
    assert grade_typed("Read-Only", ("read-only",)).explanations == ()
