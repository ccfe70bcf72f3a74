"""Draft quizapp/grading/models_data/git.cli.toml from the installed git's own help.

`git COMMAND --help-all` lists every option of each command that uses git's parse-options
(hidden ones too); the tables below add what the help does not say (which options repeat and
whether their order matters, value types, defaults, the revision and diff options of log, show
and diff from their manuals, what each command does). Run it in a git repository:

    python scripts/gen_git_model.py > quizapp/grading/models_data/git.cli.toml

then read the diff: the model is data an author reviews, and tests/grading/
test_git_model_help.py checks it against git's help.
"""
# ruff: noqa

import re
import subprocess
import sys

LINE = re.compile(
    r"^    (?:-(?P<short>[A-Za-z0-9#]),? ?)?(?:--(?P<neg>\[no-\])?(?P<long>[a-z0-9][a-z0-9-]*))?(?P<arg>.*?)(?:\s{2,}.*)?$"
)


def options(cmd):
    r = subprocess.run(["git", *cmd.split(), "--help-all"], capture_output=True, text=True)
    out = r.stdout + r.stderr
    res = []
    for line in out.splitlines():
        if not line.startswith("    -"):
            continue
        m = LINE.match(line)
        if not m or not (m["short"] or m["long"]):
            continue
        arg = (m["arg"] or "").strip()
        res.append((m["short"], m["long"], arg))
    return res


def typ(arg):
    if not arg:
        return ""
    opt = arg.startswith("[")
    a = arg.strip("[]=").strip()
    if "(" in a and "|" in a:
        vals = re.findall(r"\(([^()]*)\)", a)
        t = f"enum({vals[0]})" if vals else "string"
    elif re.search(r"<(n|num|depth|number|deepen|jobs)>", a):
        t = "int"
    elif "<file>" in a or "<path>" in a:
        t = "path"
    elif a in ("<when>",):
        t = "enum(always|never|auto)"
    else:
        t = "string"
    return ":" + t + ("?" if opt else "")


HEADER = """# The git CLI as the grader reads it: its most used porcelain commands and their options.
#
# Describes git 2.39 (the version on the project's machines). Drafted by
# scripts/gen_git_model.py from each command's own `git COMMAND --help-all` (git's
# parse-options lists every option there, hidden ones too), with what the help does not say
# added by hand (repeating options, value types, defaults, what each command does); log, show
# and diff take revision and diff options their help does not list, written from git-log(1),
# git-show(1) and git-diff(1). tests/grading/test_git_model_help.py checks the model against
# the installed git. Format: docs/cli-models.md.

[program]
name = "git"
version = "2.39"
source = "https://git-scm.com/docs"
parser = "git"
flags = [
  "C|:path+",
  "c|:keyvalue*",
  "git-dir:path",
  "work-tree:path",
  "namespace:string",
  "bare",
  "p|paginate",
  "P|no-pager",
  "no-replace-objects",
  "literal-pathspecs",
  "exec-path:path?",
  "html-path",
  "man-path",
  "info-path",
  "version",
  "help",
]
"""


def typ_flags(cmd):
    specs = []
    for s, l, a in options(cmd):
        name = (f"{s}|" if s else "") + (l or "")
        specs.append(f"{name}{typ(a)}")
    return specs


def generate():
    def fix(cmd, flags):
        out = []
        for f in flags:
            if f in ("N|:string",):
                continue
            out.append(f)
        return out

    OVR = {
        "commit": {
            "m|message:string": "m|message:string+",
            "trailer:string": "trailer:string+",
            "u|untracked-files:string?": "u|untracked-files:enum(no|normal|all)?",
            "cleanup:string": "cleanup:enum(strip|whitespace|verbatim|scissors|default)",
            "fixup:enum(amend|reword)?": "fixup:string",
        },
        "status": {
            "u|untracked-files:string?": "u|untracked-files:enum(no|normal|all)?",
            "ignored:string?": "ignored:enum(traditional|matching|no)?",
            "ignore-submodules:enum(always|never|auto)?": "ignore-submodules:enum(none|untracked|dirty|all)?",
            "long": "long=true",
        },
        "push": {
            "o|push-option:string": "o|push-option:string*",
            "recurse-submodules:enum(check|on-demand|no)": "recurse-submodules:enum(check|on-demand|only|no)",
        },
        "fetch": {
            "o|server-option:string": "o|server-option:string*",
            "negotiation-tip:string": "negotiation-tip:string*",
        },
        "pull": {
            "o|server-option:string": "o|server-option:string*",
            "X|strategy-option:string": "X|strategy-option:string*",
            "negotiation-tip:string": "negotiation-tip:string*",
        },
        "merge": {
            "m|message:string": "m|message:string+",
            "X|strategy-option:string": "X|strategy-option:string*",
            "ff": "ff=true",
            "commit": "commit=true",
        },
        "rebase": {
            "X|strategy-option:string": "X|strategy-option:string*",
            "x|exec:string": "x|exec:string+",
        },
        "cherry-pick": {"X|strategy-option:string": "X|strategy-option:string*"},
        "revert": {"X|strategy-option:string": "X|strategy-option:string*"},
        "tag": {
            "m|message:string": "m|message:string+",
            "contains:string": "contains:commit*",
            "no-contains:string": "no-contains:commit*",
            "merged:string": "merged:commit",
            "no-merged:string": "no-merged:commit",
            "points-at:string": "points-at:commit*",
        },
        "clone": {
            "c|config:string": "c|config:keyvalue*",
            "server-option:string": "server-option:string*",
            "reference:string": "reference:string*",
        },
        "add": {"chmod:enum(+|-)": "chmod:enum(+x|-x)"},
        "grep": {"e|:string": "e|:string+", "f|:path": "f|:path+"},
        "reset": {"mixed": "mixed=true"},
        "config": {"t|type:string": "t|type:enum(bool|int|bool-or-int|path|expiry-date|color)"},
        "clean": {"e|exclude:string": "e|exclude:string*"},
        "describe": {"match:string": "match:string*", "exclude:string": "exclude:string*"},
        "branch": {
            "contains:string": "contains:commit*",
            "no-contains:string": "no-contains:commit*",
            "merged:string": "merged:commit",
            "no-merged:string": "no-merged:commit",
            "sort:string": "sort:string+",
            "points-at:string": "points-at:string*",
        },
    }
    DIFF = [
        "stat:string?",
        "shortstat",
        "numstat",
        "name-only",
        "name-status",
        "summary",
        "p|patch",
        "s|no-patch",
        "U|unified:int",
        "raw",
        "patch-with-stat",
        "z|",
        "abbrev:int?",
        "binary",
        "full-index",
        "w|ignore-all-space",
        "b|ignore-space-change",
        "ignore-space-at-eol",
        "ignore-blank-lines",
        "word-diff:enum(color|plain|porcelain|none)?",
        "color-words:string?",
        "color:enum(always|never|auto)?",
        "no-color",
        "R|",
        "M|find-renames:string?",
        "C|find-copies:string?",
        "find-copies-harder",
        "D|irreversible-delete",
        "diff-filter:string",
        "text",
        "a|",
        "exit-code",
        "quiet",
        "ext-diff",
        "no-ext-diff",
        "textconv",
        "relative:path?",
        "no-relative",
        "src-prefix:string",
        "dst-prefix:string",
        "no-prefix",
        "output:path",
        "minimal",
        "patience",
        "histogram",
        "diff-algorithm:enum(default|myers|minimal|patience|histogram)",
        "check",
        "submodule:enum(short|log|diff)?",
        "ignore-submodules:enum(none|untracked|dirty|all)?",
        "function-context",
        "W|",
        "O|:path",
        "S|:string",
        "G|:string",
        "pickaxe-all",
        "pickaxe-regex",
        "dirstat:string?",
        "compact-summary",
        "ws-error-highlight:string",
    ]
    # a and text are one flag in git: -a, --text
    DIFF = [d for d in DIFF if d not in ("text", "a|", "W|")] + ["a|text"]
    DIFF = [("W|function-context" if d == "function-context" else d) for d in DIFF]
    LOGONLY = [
        "n|max-count:int",
        "skip:int",
        "oneline",
        "graph",
        "all",
        "decorate:enum(short|full|auto|no)?",
        "no-decorate",
        "abbrev-commit",
        "no-abbrev-commit",
        "author:string*",
        "committer:string*",
        "grep:string*",
        "since,after:string",
        "until,before:string",
        "pretty:string?",
        "format:string",
        "date:string",
        "reverse",
        "follow",
        "no-merges",
        "merges",
        "first-parent",
        "i|regexp-ignore-case",
        "E|extended-regexp",
        "F|fixed-strings",
        "P|perl-regexp",
        "all-match",
        "invert-grep",
        "left-right",
        "cherry-pick",
        "cherry-mark",
        "cherry",
        "topo-order",
        "date-order",
        "author-date-order",
        "relative-date",
        "L|:string*",
        "branches:string?",
        "tags:string?",
        "remotes:string?",
        "glob:string*",
        "exclude:string*",
        "source",
        "g|walk-reflogs",
        "full-history",
        "simplify-by-decoration",
        "ancestry-path",
        "boundary",
        "no-walk:string?",
        "do-walk",
        "max-parents:int",
        "min-parents:int",
        "mailmap,use-mailmap",
        "log-size",
        "show-signature",
        "notes:string?",
        "no-notes",
        "full-diff",
        "m|",
        "c|",
        "cc",
        "diff-merges:string",
        "remerge-diff",
        "since-as-filter:string",
        "bisect",
        "stdin",
        "reflog",
        "encoding:string",
        "expand-tabs:int?",
        "no-expand-tabs",
        "show-linear-break:string?",
        "parents",
        "children",
        "pretty-print",
        "count",
    ]
    LOGONLY = [l for l in LOGONLY if l != "pretty-print"]
    LOG = LOGONLY + DIFF
    SHOW = [
        "oneline",
        "pretty:string?",
        "format:string",
        "abbrev-commit",
        "no-abbrev-commit",
        "decorate:enum(short|full|auto|no)?",
        "no-decorate",
        "date:string",
        "show-signature",
        "notes:string?",
        "no-notes",
        "m|",
        "c|",
        "cc",
        "diff-merges:string",
        "first-parent",
        "remerge-diff",
        "encoding:string",
        "expand-tabs:int?",
        "relative-date",
        "mailmap,use-mailmap",
    ] + DIFF
    DIFFCMD = [
        "cached,staged",
        "no-index",
        "merge-base",
        "1|base",
        "2|ours",
        "3|theirs",
        "0|",
    ] + DIFF
    CMDS = {
        "add": ("adds file contents to the index", "[FILE...]"),
        "bisect start": (
            "starts a binary search for the commit that introduced a bug",
            "[BAD] [GOOD...]",
        ),
        "bisect good": ("marks a commit good", "[COMMIT...]"),
        "bisect bad": ("marks a commit bad", "[COMMIT]"),
        "bisect reset": ("ends the bisect session", "[COMMIT]"),
        "blame": ("shows who last changed each line of a file", "[REVISION] FILE"),
        "branch": ("lists, creates or deletes branches", "[BRANCH] [START_POINT=HEAD]"),
        "checkout": ("switches branches or restores files", "[BRANCH_OR_FILE...]"),
        "cherry-pick": ("applies the changes of existing commits", "[COMMIT...]"),
        "clean": ("removes untracked files", "[FILE...]"),
        "clone": ("clones a repository into a new directory", "REPOSITORY [DIRECTORY]"),
        "commit": ("records changes to the repository", "[FILE...]"),
        "config": ("gets and sets repository or global options", "[NAME] [VALUE] [VALUE_PATTERN]"),
        "describe": ("names a commit by the nearest tag", "[COMMIT...]"),
        "diff": (
            "shows changes between commits, the index and the working tree",
            "[COMMIT] [COMMIT] [FILE...]",
        ),
        "fetch": (
            "downloads objects and refs from another repository",
            "[REPOSITORY] [REFSPEC...]",
        ),
        "grep": ("prints lines matching a pattern", "[PATTERN] [REVISION_OR_FILE...]"),
        "init": ("creates an empty Git repository", "[DIRECTORY]"),
        "log": ("shows commit logs", "[REVISION] [FILE...]"),
        "merge": ("joins two or more development histories", "[COMMIT...]"),
        "mv": ("moves or renames a file", "SOURCE [SOURCE...] DESTINATION"),
        "pull": (
            "fetches from and integrates with another repository",
            "[REPOSITORY] [REFSPEC...]",
        ),
        "push": ("updates remote refs with local commits", "[REPOSITORY] [REFSPEC...]"),
        "rebase": ("reapplies commits on top of another base", "[UPSTREAM] [BRANCH]"),
        "reflog": ("shows the reference log", "[REF]"),
        "remote": ("lists the remotes", ""),
        "remote add": ("adds a remote", "NAME URL"),
        "remote remove": ("removes a remote", "NAME"),
        "remote rename": ("renames a remote", "OLD NEW"),
        "remote set-url": ("changes a remote's URL", "NAME NEWURL [OLDURL]"),
        "remote show": ("shows a remote", "[NAME...]"),
        "remote prune": ("deletes stale remote-tracking branches", "NAME..."),
        "reset": ("resets the current HEAD to a commit", "[COMMIT=HEAD] [FILE...]"),
        "restore": ("restores working tree files", "[FILE...]"),
        "revert": ("reverts existing commits", "[COMMIT...]"),
        "rm": ("removes files from the working tree and the index", "[FILE...]"),
        "shortlog": ("summarizes git log output", "[REVISION...]"),
        "show": ("shows objects (commits, tags, trees, blobs)", "[OBJECT] [FILE...]"),
        "stash push": ("stashes the changes of the working tree", "[FILE...]"),
        "stash pop": ("applies a stash and removes it", "[STASH]"),
        "stash apply": ("applies a stash", "[STASH]"),
        "stash drop": ("removes a stash", "[STASH]"),
        "stash list": ("lists the stashes", ""),
        "stash show": ("shows the changes in a stash", "[STASH]"),
        "stash clear": ("removes all stashes", ""),
        "stash branch": ("creates a branch from a stash", "BRANCH [STASH]"),
        "status": ("shows the working tree status", "[FILE...]"),
        "switch": ("switches branches", "[BRANCH] [START_POINT=HEAD]"),
        "tag": ("creates, lists, deletes or verifies tags", "[TAG] [COMMIT=HEAD]"),
        "worktree add": ("adds a linked working tree", "PATH [COMMIT_ISH]"),
        "worktree list": ("lists the working trees", ""),
        "worktree remove": ("removes a working tree", "WORKTREE"),
        "archive": ("creates an archive of files from a tree", "TREE_ISH [FILE...]"),
        "format-patch": ("prepares patches for e-mail", "[REVISION...]"),
        "gc": ("cleans up and optimises the repository", ""),
    }
    manual = {
        "log",
        "show",
        "diff",
        "reflog",
        "remote remove",
        "stash list",
        "remote show",
        "remote prune",
        "stash clear",
        "stash branch",
    }
    gen = {
        cmd: {"flags": typ_flags(cmd)}
        for cmd in CMDS
        if cmd not in manual and not cmd.startswith("bisect")
    }
    FLAGS = dict(gen)
    FLAGS["log"] = {"flags": LOG}
    FLAGS["show"] = {"flags": SHOW}
    FLAGS["diff"] = {"flags": DIFFCMD}
    FLAGS["reflog"] = {
        "flags": [
            "n|max-count:int",
            "oneline",
            "date:string",
            "all",
            "pretty:string?",
            "format:string",
        ]
    }
    FLAGS["remote remove"] = {"flags": []}
    FLAGS["stash list"] = {"flags": []}
    FLAGS["remote show"] = {"flags": ["n|"]}
    FLAGS["remote prune"] = {"flags": ["n|dry-run"]}
    FLAGS["stash clear"] = {"flags": []}
    FLAGS["stash branch"] = {"flags": []}
    for k in ("bisect start",):
        FLAGS[k] = {
            "flags": [
                "term-new,term-bad:string",
                "term-old,term-good:string",
                "no-checkout",
                "first-parent",
            ]
        }
    for k in ("bisect good", "bisect bad", "bisect reset"):
        FLAGS[k] = {"flags": []}
    ALIASES = {
        "stash push": ["stash"],
        "remote remove": ["remote rm"],
        "remote": ["remote show-urls"],
    }
    ALIASES["remote"] = []
    EXTRA = {
        "grep": 'digits = "context"\n',
        "tag": 'implies = { "-m" = "--annotate", "-F" = "--annotate" }\n',
        "branch": 'expands = { "-D" = "--delete --force", "-M" = "--move --force", "-C" = "--copy --force" }\n',
        "log": 'digits = "max-count"\nexpands = { "--oneline" = "--pretty=oneline --abbrev-commit" }\n',
        "shortlog": "",
        "show": "",
        "reflog": 'digits = "max-count"\n',
    }
    out = [HEADER]

    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    for cmd, (does, args) in CMDS.items():
        flags = FLAGS[cmd]["flags"]
        flags = fix(cmd, flags)
        o = OVR.get(cmd, {})
        flags = [o.get(f, f) for f in flags]
        # git accepts -h for every command, but it only prints help
        out.append(
            f"\n[commands.{q(cmd)}]\nsource = {q('https://git-scm.com/docs/git-' + cmd.split()[0])}\ndoes = {q(does)}\nargs = {q(args)}\n"
        )
        if cmd in ALIASES and ALIASES[cmd]:
            out.append("aliases = [" + ", ".join(q(a) for a in ALIASES[cmd]) + "]\n")
        out.append(EXTRA.get(cmd, ""))
        out.append("flags = [\n" + "".join(f"  {q(f)},\n" for f in flags) + "]\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(generate())
