"""The words drafting knows, as data: programs, example values, what commands and flags do.

Everything that makes a drafted prompt read like English lives here, so that teaching the
drafter a new program or flag is one table entry. Unknown commands still get a card; their
prompt just names the values literally and is marked for a human look.
"""

from __future__ import annotations

PROGRAMS: frozenset[str] = frozenset(
    """
    docker docker-compose podman journalctl systemctl kubectl helm minikube kind k3s
    git gh apt apt-get apt-cache dpkg apk yum dnf rpm brew snap npm npx yarn pnpm node
    pip pip3 python python3 pipx poetry uv cargo go make terraform ansible ansible-playbook
    vagrant ssh scp rsync curl wget ping dig nslookup ip ss netstat iptables ufw
    ls cd cat less grep find chmod chown tar sed awk ps kill top df du free mount
    useradd usermod passwd crontab openssl gpg aws gcloud az
    """.split()
)
"""Programs whose backticked commands become command cards (`sudo` in front is allowed)."""

DOCKER_PROGRAMS: frozenset[str] = frozenset({"docker", "docker-compose"})

# name -> (example value, noun the prompt uses, or None when the value is just "named ...")
PLACEHOLDERS: dict[str, tuple[str, str | None]] = {
    "name": ("web", None),
    "id": ("3f2a9c1b", None),
    "secretname": ("db_password", "secret"),
    "secret": ("db_password", "secret"),
    "filename": ("password.txt", "file"),
    "file": ("notes.txt", "file"),
    "path": ("/srv/app", "path"),
    "dir": ("/srv/app", "directory"),
    "directory": ("/srv/app", "directory"),
    "servicename": ("web", "service"),
    "service": ("web", "service"),
    "containername": ("web", "container"),
    "containerid": ("3f2a9c1b", "container"),
    "container": ("web", "container"),
    "imagename": ("nginx", "image"),
    "image": ("nginx:1.27", "image"),
    "tag": ("v1.2.0", "tag"),
    "version": ("1.2.0", "version"),
    "port": ("8080", "port"),
    "network": ("backend", "network"),
    "networkname": ("backend", "network"),
    "volume": ("data", "volume"),
    "volumename": ("data", "volume"),
    "stack": ("shop", "stack"),
    "stackname": ("shop", "stack"),
    "node": ("worker-1", "node"),
    "nodename": ("worker-1", "node"),
    "branch": ("feature-login", "branch"),
    "branchname": ("feature-login", "branch"),
    "commit": ("a1b2c3d", "commit"),
    "sha": ("a1b2c3d", "commit"),
    "hash": ("a1b2c3d", "commit"),
    "remote": ("origin", "remote"),
    "url": ("https://github.com/example/app.git", "URL"),
    "repo": ("https://github.com/example/app.git", "repository"),
    "repository": ("https://github.com/example/app.git", "repository"),
    "message": ("Fix the login form", "message"),
    "msg": ("Fix the login form", "message"),
    "pod": ("web-0", "pod"),
    "podname": ("web-0", "pod"),
    "deployment": ("web", "deployment"),
    "namespace": ("staging", "namespace"),
    "ns": ("staging", "namespace"),
    "context": ("staging", "context"),
    "replicas": ("3", "replica count"),
    "count": ("3", "count"),
    "user": ("alice", "user"),
    "username": ("alice", "user"),
    "host": ("example.com", "host"),
    "hostname": ("example.com", "host"),
    "package": ("curl", "package"),
    "pkg": ("curl", "package"),
    "unit": ("nginx.service", "unit"),
    "key": ("color", "key"),
    "value": ("blue", "value"),
    "n": ("10", "number"),
    "num": ("10", "number"),
    "number": ("10", "number"),
    "lines": ("20", "line count"),
    "hostport": ("8080", "host port"),
    "containerport": ("80", "container port"),
    "cmd": ("sh", "command"),
    "command": ("sh", "command"),
    "hostdir": ("/srv/app", "directory"),
    "hostpath": ("/srv/app", "path"),
    "containerpath": ("/data", "path"),
    "ip": ("10.0.0.5", "IP address"),
    "managerip": ("10.0.0.5", "IP address"),
    "email": ("alice@example.com", "email"),
    "registry": ("registry.example.com", "registry"),
    "token": ("SWMTKN-1-example", "token"),
}

# A second example for placeholders that stand for several values (`<name(s)>`).
SECOND_EXAMPLES: dict[str, str] = {"web": "db", "3f2a9c1b": "7e4d0a62", "notes.txt": "todo.txt"}

# (program, subcommand...) -> what running it does, as an imperative with its object.
ACTIONS: dict[tuple[str, ...], str] = {
    ("docker", "run"): "Run a container",
    ("docker", "container", "run"): "Run a container",
    ("docker", "ps"): "List the containers",
    ("docker", "container", "ls"): "List the containers",
    ("docker", "stop"): "Stop the container",
    ("docker", "container", "stop"): "Stop the container",
    ("docker", "start"): "Start the container",
    ("docker", "container", "start"): "Start the container",
    ("docker", "restart"): "Restart the container",
    ("docker", "rm"): "Remove the container",
    ("docker", "container", "rm"): "Remove the container",
    ("docker", "logs"): "Show the logs of the container",
    ("docker", "container", "logs"): "Show the logs of the container",
    ("docker", "exec"): "Run a command in the container",
    ("docker", "container", "exec"): "Run a command in the container",
    ("docker", "inspect"): "Show details of",
    ("docker", "build"): "Build an image",
    ("docker", "image", "build"): "Build an image",
    ("docker", "push"): "Push the image",
    ("docker", "image", "push"): "Push the image",
    ("docker", "pull"): "Pull the image",
    ("docker", "image", "pull"): "Pull the image",
    ("docker", "images"): "List the images",
    ("docker", "image", "ls"): "List the images",
    ("docker", "rmi"): "Remove the image",
    ("docker", "image", "rm"): "Remove the image",
    ("docker", "volume", "create"): "Create a volume",
    ("docker", "volume", "inspect"): "Show details of the volume",
    ("docker", "volume", "ls"): "List all volumes",
    ("docker", "volume", "rm"): "Remove the volume",
    ("docker", "volume", "prune"): "Remove all unused volumes",
    ("docker", "network", "create"): "Create a network",
    ("docker", "network", "inspect"): "Show details of the network",
    ("docker", "network", "ls"): "List all networks",
    ("docker", "network", "rm"): "Remove the network",
    ("docker", "network", "connect"): "Connect a container to the network",
    ("docker", "secret", "create"): "Create a secret",
    ("docker", "secret", "ls"): "List all secrets",
    ("docker", "secret", "rm"): "Remove the secret",
    ("docker", "swarm", "init"): "Initialize a swarm",
    ("docker", "swarm", "update"): "Update the swarm",
    ("docker", "swarm", "join"): "Join a swarm",
    ("docker", "swarm", "leave"): "Leave the swarm",
    ("docker", "swarm", "unlock"): "Unlock the swarm",
    ("docker", "service", "create"): "Create a service",
    ("docker", "service", "ls"): "List all services",
    ("docker", "service", "ps"): "List the tasks of the service",
    ("docker", "service", "scale"): "Scale the service",
    ("docker", "service", "rm"): "Remove the service",
    ("docker", "stack", "deploy"): "Deploy a stack",
    ("docker", "stack", "ls"): "List all stacks",
    ("docker", "stack", "rm"): "Remove the stack",
    ("docker", "node", "ls"): "List the nodes of the swarm",
    ("docker", "kill"): "Kill the container",
    ("docker", "container", "kill"): "Kill the container",
    ("docker", "create"): "Create a container",
    ("docker", "container", "create"): "Create a container",
    ("docker", "cp"): "Copy files",
    ("docker", "container", "prune"): "Remove all stopped containers",
    ("docker", "tag"): "Tag the image",
    ("docker", "image", "tag"): "Tag the image",
    ("docker", "history"): "Show the layers of the image",
    ("docker", "image", "history"): "Show the layers of the image",
    ("docker", "image", "prune"): "Remove unused images",
    ("docker", "image", "inspect"): "Show details of the image",
    ("docker", "login"): "Log in to a registry",
    ("docker", "logout"): "Log out of a registry",
    ("docker", "info"): "Show system-wide information",
    ("docker", "version"): "Show the Docker version",
    ("docker", "system", "prune"): "Remove unused data",
    ("docker", "system", "df"): "Show Docker disk usage",
    ("docker", "network", "prune"): "Remove all unused networks",
    ("docker", "network", "disconnect"): "Disconnect a container from the network",
    ("docker", "secret", "inspect"): "Show details of the secret",
    ("docker", "config", "create"): "Create a config",
    ("docker", "config", "ls"): "List all configs",
    ("docker", "service", "inspect"): "Show details of the service",
    ("docker", "service", "logs"): "Show the logs of the service",
    ("docker", "service", "update"): "Update the service",
    ("docker", "node", "inspect"): "Show details of the node",
    ("docker", "node", "promote"): "Promote the node to a manager",
    ("docker", "node", "demote"): "Demote the node to a worker",
    ("docker", "node", "update"): "Update the node",
    ("docker", "swarm", "join-token"): "Show the join token",
    ("docker", "stack", "ps"): "List the tasks of the stack",
    ("docker", "stack", "services"): "List the services of the stack",
    ("docker", "compose", "up"): "Create and start the services of the compose project",
    ("docker", "compose", "down"): "Stop and remove the services of the compose project",
    ("docker", "compose", "ps"): "List the services of the compose project",
    ("docker", "compose", "logs"): "Show the logs of the compose project",
    ("docker", "compose", "build"): "Build the images of the compose project",
    ("docker-compose", "build"): "Build the images of the compose project",
    ("docker-compose", "up"): "Create and start the services of the compose project",
    ("docker-compose", "down"): "Stop and remove the services of the compose project",
    ("docker-compose", "ps"): "List the services of the compose project",
    ("docker-compose", "logs"): "Show the logs of the compose project",
    ("journalctl",): "Show the system journal",
    ("systemctl", "status"): "Show the status of the unit",
    ("systemctl", "start"): "Start the unit",
    ("systemctl", "stop"): "Stop the unit",
    ("systemctl", "restart"): "Restart the unit",
    ("systemctl", "enable"): "Enable the unit at boot",
    ("git", "init"): "Create a new repository",
    ("git", "clone"): "Clone the repository",
    ("git", "status"): "Show the state of the working tree",
    ("git", "add"): "Stage",
    ("git", "commit"): "Commit the staged changes",
    ("git", "push"): "Push the commits",
    ("git", "pull"): "Pull the commits",
    ("git", "fetch"): "Fetch the commits",
    ("git", "log"): "Show the history",
    ("git", "diff"): "Show the changes",
    ("git", "branch"): "Create the branch",
    ("git", "checkout"): "Check out",
    ("git", "switch"): "Switch to the branch",
    ("git", "merge"): "Merge the branch",
    ("git", "rebase"): "Rebase onto the branch",
    ("git", "stash"): "Stash the changes",
    ("git", "stash", "pop"): "Re-apply the last stashed changes",
    ("git", "tag"): "Tag the commit",
    ("git", "remote", "add"): "Add the remote",
    ("git", "reset"): "Reset",
    ("git", "restore"): "Restore",
    ("kubectl", "get"): "List",
    ("kubectl", "describe"): "Describe",
    ("kubectl", "apply"): "Apply the configuration",
    ("kubectl", "delete"): "Delete",
    ("kubectl", "logs"): "Show the logs of the pod",
    ("kubectl", "exec"): "Run a command in the pod",
    ("kubectl", "scale"): "Scale",
    ("kubectl", "rollout", "status"): "Watch the rollout of",
    ("kubectl", "rollout", "undo"): "Roll back",
    ("kubectl", "port-forward"): "Forward a local port to",
    ("kubectl", "create", "namespace"): "Create the namespace",
    ("kubectl", "config", "use-context"): "Switch to the context",
    ("ping",): "Ping",
}

# (program, subcommand...) -> how each operand reads, in order; `{v}` is the value.
OPERANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("docker", "run"): ("from the image {v}", "running {v}"),
    ("docker", "container", "run"): ("from the image {v}", "running {v}"),
    ("docker", "build"): ("from {v}",),
    ("docker", "image", "build"): ("from {v}",),
    ("docker", "create"): ("from the image {v}", "running {v}"),
    ("docker", "container", "create"): ("from the image {v}", "running {v}"),
    ("docker", "exec"): ("{v}", "running {v}"),
    ("docker", "container", "exec"): ("{v}", "running {v}"),
    ("docker", "service", "create"): ("from the image {v}", "running {v}"),
    ("docker", "cp"): ("from {v}", "to {v}"),
    ("docker", "tag"): ("{v}", "as {v}"),
    ("docker", "image", "tag"): ("{v}", "as {v}"),
    ("git", "push"): ("to the remote {v}", "on the branch {v}"),
    ("git", "pull"): ("from the remote {v}", "on the branch {v}"),
}

# Operand values that read better as words.
OPERAND_WORDS: dict[str, str] = {"from .": "from the current directory"}

# Flags: program or (program, subcommand...) -> flag -> (takes a value, how it reads).
FLAGS: dict[tuple[str, ...], dict[str, tuple[bool, str]]] = {
    ("docker",): {
        "-d": (False, "in the background"),
        "--detach": (False, "in the background"),
        "-f": (False, "forcing it even if it is running"),
        "--force": (False, "forcing it even if it is running"),
        "--format": (True, "formatted as {v}"),
        "-q": (False, "printing only the ids"),
        "-a": (False, "including the stopped ones"),
    },
    ("docker", "logs"): {
        "-f": (False, "following new output"),
        "--follow": (False, "following new output"),
        "--tail": (True, "only the last {v} lines"),
    },
    ("docker", "exec"): {
        "-it": (False, "interactively with a terminal"),
        "-i": (False, "interactively"),
        "-t": (False, "with a terminal"),
        "-u": (True, "as the user {v}"),
        "-w": (True, "in the directory {v}"),
        "-e": (True, "with the environment variable {v}"),
    },
    ("docker", "service"): {
        "--replicas": (True, "with {v} replicas"),
        "--name": (True, "named {v}"),
        "-p": (True, "publishing port {v}"),
        "--publish": (True, "publishing port {v}"),
        "--secret": (True, "giving it the secret {v}"),
        "--network": (True, "on the network {v}"),
    },
    ("docker", "run"): {
        "-d": (False, "in the background"),
        "-i": (False, "interactively"),
        "-t": (False, "with a terminal"),
        "-it": (False, "interactively with a terminal"),
        "-ti": (False, "interactively with a terminal"),
        "-dit": (False, "in the background with an interactive terminal"),
        "-p": (True, "publishing port {v}"),
        "--publish": (True, "publishing port {v}"),
        "--name": (True, "named {v}"),
        "--mount": (True, "mounting {v}"),
        "-v": (True, "with the volume {v}"),
        "-e": (True, "with the environment variable {v}"),
        "--rm": (False, "removed when it exits"),
        "--network": (True, "on the network {v}"),
        "--restart": (True, "with the restart policy {v}"),
        "--env-file": (True, "with the environment file {v}"),
        "-w": (True, "in the directory {v}"),
        "-u": (True, "as the user {v}"),
    },
    ("docker", "build"): {
        "-t": (True, "tagged {v}"),
        "--tag": (True, "tagged {v}"),
        "-f": (True, "from the Dockerfile {v}"),
    },
    ("docker", "images"): {
        "-a": (False, "including the intermediate ones"),
        "--all": (False, "including the intermediate ones"),
    },
    ("docker", "image", "ls"): {
        "-a": (False, "including the intermediate ones"),
        "--all": (False, "including the intermediate ones"),
    },
    ("docker", "image", "prune"): {
        "-a": (False, "including every unused one, not only dangling ones"),
        "--all": (False, "including every unused one, not only dangling ones"),
        "-f": (False, "without asking"),
        "--force": (False, "without asking"),
    },
    ("docker", "container", "prune"): {
        "-f": (False, "without asking"),
        "--force": (False, "without asking"),
    },
    ("docker", "volume", "prune"): {
        "-a": (False, "including named ones, not only anonymous ones"),
        "--all": (False, "including named ones, not only anonymous ones"),
        "-f": (False, "without asking"),
        "--force": (False, "without asking"),
    },
    ("docker", "network", "prune"): {
        "-f": (False, "without asking"),
        "--force": (False, "without asking"),
    },
    ("docker", "start"): {
        "-a": (False, "attached to its output"),
        "--attach": (False, "attached to its output"),
        "-i": (False, "interactively"),
    },
    ("docker", "container", "start"): {
        "-a": (False, "attached to its output"),
        "--attach": (False, "attached to its output"),
        "-i": (False, "interactively"),
    },
    ("docker", "system"): {
        "-a": (False, "including every unused image"),
        "--all": (False, "including every unused image"),
        "--volumes": (False, "and unused volumes"),
        "-f": (False, "without asking"),
    },
    ("docker", "swarm"): {
        "--autolock": (False, "with autolock turned on"),
    },
    ("docker", "stack"): {
        "-c": (True, "from the compose file {v}"),
        "--compose-file": (True, "from the compose file {v}"),
    },
    ("docker", "network"): {
        "-d": (True, "with the driver {v}"),
        "--driver": (True, "with the driver {v}"),
        "-o": (True, "with the option {v}"),
        "--opt": (True, "with the option {v}"),
    },
    ("docker-compose",): {
        "-d": (False, "in the background"),
        "-f": (True, "from the compose file {v}"),
        "-v": (False, "with their volumes"),
    },
    ("journalctl",): {
        "--boot": (False, "since the last boot"),
        "-p": (True, "at priority {v}"),
        "--since": (True, "since {v}"),
        "-u": (True, "of the unit {v}"),
        "--unit": (True, "of the unit {v}"),
        "-f": (False, "following new entries"),
        "-n": (True, "only the last {v} lines"),
        "-b": (False, "since the last boot"),
    },
    ("git",): {
        "-m": (True, "with the message {v}"),
        "--amend": (False, "amending the last commit"),
        "--set-upstream": (False, "setting its upstream"),
        "-c": (True, "creating the branch {v}"),
        "-b": (True, "creating the branch {v}"),
        "-u": (False, "setting its upstream"),
        "--oneline": (False, "one line per commit"),
        "--graph": (False, "as a graph"),
        "--staged": (False, "that are staged"),
        "--all": (False, "everywhere"),
        "-d": (False, "deleting it"),
        "-D": (False, "force-deleting it"),
        "--hard": (False, "discarding the changes"),
        "--soft": (False, "keeping the changes staged"),
    },
    ("git", "commit"): {"-a": (False, "including every tracked file")},
    ("git", "branch"): {
        "-a": (False, "including the remote ones"),
        "--all": (False, "including the remote ones"),
    },
    ("kubectl", "logs"): {
        "-f": (False, "following new lines"),
        "--follow": (False, "following new lines"),
        "-p": (False, "of the previous container"),
        "--previous": (False, "of the previous container"),
        "--tail": (True, "only the last {v} lines"),
        "-c": (True, "of the container {v}"),
    },
    ("kubectl", "get"): {
        "-w": (False, "watching for changes"),
        "--watch": (False, "watching for changes"),
        "--show-labels": (False, "with their labels"),
    },
    ("kubectl",): {
        "--port": (True, "on port {v}"),
        "--image": (True, "from the image {v}"),
        "-n": (True, "in the namespace {v}"),
        "--namespace": (True, "in the namespace {v}"),
        "-f": (True, "from the file {v}"),
        "-o": (True, "as {v}"),
        "--replicas": (True, "to {v} replicas"),
        "-A": (False, "in every namespace"),
        "--all-namespaces": (False, "in every namespace"),
        "-it": (False, "interactively with a terminal"),
        "-l": (True, "selected by the label {v}"),
    },
    ("systemctl",): {
        "--now": (False, "now as well"),
        "--failed": (False, "that failed"),
        "--user": (False, "of your user"),
    },
}

# Aliases for the tables above: the long form of a docker command reads like its short form.
FLAG_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("docker", "container", "run"): ("docker", "run"),
    ("docker", "create"): ("docker", "run"),
    ("docker", "container", "create"): ("docker", "run"),
    ("docker", "image", "build"): ("docker", "build"),
    ("docker", "container", "logs"): ("docker", "logs"),
    ("docker", "container", "exec"): ("docker", "exec"),
    ("docker", "compose", "up"): ("docker-compose",),
    ("docker", "compose", "down"): ("docker-compose",),
    ("docker", "compose", "logs"): ("docker-compose",),
}

# Gerunds a notes label starts with, as imperatives ("Creating a swarm" -> "Create a swarm").
GERUNDS: dict[str, str] = {
    word + "ing": word
    for word in """
    build deploy host list push pull run stop start mount read install add commit check
    inspect show print display fetch clone merge push connect attach expose forward
    """.split()
}
GERUNDS.update(
    {
        "creating": "create",
        "updating": "update",
        "using": "use",
        "making": "make",
        "removing": "remove",
        "deleting": "delete",
        "saving": "save",
        "scaling": "scale",
        "writing": "write",
        "configuring": "configure",
        "enabling": "enable",
        "disabling": "disable",
        "changing": "change",
        "executing": "execute",
        "storing": "store",
        "sharing": "share",
        "naming": "name",
        "comparing": "compare",
        "moving": "move",
        "staging": "stage",
        "rebasing": "rebase",
        "describing": "describe",
        "managing": "manage",
        "restoring": "restore",
        "initializing": "initialize",
        "initialising": "initialise",
        "exiting": "exit",
        "running": "run",
        "stopping": "stop",
        "getting": "get",
        "setting": "set",
        "tagging": "tag",
        "shipping": "ship",
        "logging": "log",
    }
)

# Verbs whose "-s" form the rules in `commands._imperative` would get wrong.
THIRD_PERSON: dict[str, str] = {"does": "do", "goes": "go", "has": "have", "is": "be"}

# Words that, at the start of a term, show a clause rather than a term being defined.
NOT_A_TERM_START: frozenset[str] = frozenset(
    """
    e.g. i.e. eg ie if when while then so but and or also however which that this these those
    it its they there here via with without for from to in on at by can could should would
    will may might must do does did not no yes next finally first second
    """.split()
)

# How a definition may start after "X is"/"X are" for it to be read as a definition.
DEFINITION_OPENERS: frozenset[str] = frozenset(
    "a an the one any anything something someone what where how used short".split()
)

STOPWORDS: frozenset[str] = frozenset(
    "a an the and or of to in on at for with by is are be it its as from into via e g eg".split()
)


RESOURCE_NOUNS: dict[str, str] = {
    noun: singular
    for singular, forms in {
        "pod": "pod pods po",
        "deployment": "deployment deployments deploy",
        "service": "service services svc",
        "node": "node nodes no",
        "namespace": "namespace namespaces ns",
        "configmap": "configmap configmaps cm",
        "secret": "secret secrets",
        "job": "job jobs",
        "cronjob": "cronjob cronjobs",
        "statefulset": "statefulset statefulsets sts",
        "daemonset": "daemonset daemonsets ds",
        "replicaset": "replicaset replicasets rs",
        "ingress": "ingress ingresses ing",
        "unit": "unit units",
        "branch": "branch branches",
    }.items()
    for noun in forms.split()
}
"""Words that name a kind of object; the word after one is that object's name (a value)."""

VERBS: frozenset[str] = frozenset(
    """
    add amend apply attach back build change check clean clone commit connect copy count
    create debug delete deploy describe detach diff disable disconnect display download drain
    edit enable exec expose fetch filter find follow forward get inspect install join keep
    kill label leave limit list load lock log login logout make merge move open pause ping
    print promote prune publish pull push read rebase reload remove rename replace reset
    restart restore resume revert roll rollback run save scale search see set show start
    stash stop switch sync tag tail throw undo unlock unstage update upgrade upload use
    view watch write stage blame bisect discard drop give hide mark print query send sign
    skip sort squash store take test trace track try turn type unset verify wait wipe cherry-pick
    obtain display shelve ping reach access allow assign attach block bring call cancel
    choose clear close configure contain convert define deny determine encrypt ensure enter
    execute extract generate get go grant import increase initialize inspect lower mount
    name override pass place point provide put rebuild receive record register release
    rename request require retrieve return rotate schedule select share shrink shut split
    submit supply swap terminate transfer trigger unmount unpause untag verify bump
    """.split()
)
"""Words a prompt may start with: a phrase of the notes that starts otherwise is a noun
phrase ("Logs since the last boot") and gets a verb ("Show the logs since the last boot")."""
