"""CLI models for any program: the format, the bundled models, the parser conventions, pipes
and lists stage by stage, the POSIX fallback, and the issue's own examples."""

from __future__ import annotations

import time

import pytest

from quizapp.grading import (
    ModelError,
    Verdict,
    bundled_models,
    grade_command,
    model_warnings,
    parse_model_text,
)
from quizapp.grading.model import docker_model
from quizapp.grading.parse import read_command

R, C, W = Verdict.RIGHT, Verdict.CLOSE, Verdict.WRONG

ISSUE_EXAMPLES = [
    ("git commit -am wip", "git commit -a -m wip"),
    ("git commit -m wip -a", "git commit -a -m wip"),
    ("git log -n 5 --oneline", "git log --oneline -5"),
    ("git push origin feature -u", "git push -u origin feature"),
    ("git commit -m'fix typo'", "git commit -m 'fix typo'"),
    ("git push --set-upstream origin feature", "git push -u origin feature"),
    ('git commit --message "fix typo"', "git commit -m 'fix typo'"),
    ("journalctl --unit=docker.service", "journalctl -u docker.service"),
]


@pytest.mark.parametrize(("typed", "answer"), ISSUE_EXAMPLES)
def test_the_issue_examples_grade_right(typed: str, answer: str) -> None:
    result = grade_command(typed, [answer])
    assert result.verdict is R, result.explanations
    assert not any("(a typo)" in e for e in result.explanations)


def test_combined_flags_are_explained_as_the_program_reads_them() -> None:
    result = grade_command("git commit -am wip", ["git commit -a -m wip"])
    assert result.explanations == ("-am is -a -m",)
    wrong = grade_command("git commit -m wip", ["git commit -a -m wip"])
    assert wrong.verdict is C
    assert wrong.explanations == ("missing -a (--all)",)
    value = grade_command("git commit -am done", ["git commit -a -m wip"])
    assert value.verdict is C and value.explanations == ("--message should be wip, not done",)


@pytest.mark.parametrize(
    ("typed", "answer", "verdict", "says"),
    [
        # git: abbreviations, --no-X, -NUM, message paragraphs in order, defaults
        ("git commit --amen", "git commit --amend", R, "--amen is --amend"),
        ("git commit --al -m x", "git commit -a -m x", W, "ambiguous"),
        ("git commit -m x --no-verify", "git commit -n -m x", R, None),
        ("git commit -m a -m b", "git commit -m b -m a", C, "order of -m (--message) matters"),
        ("git log -5", "git log --max-count=5", R, "-5 is --max-count 5"),
        ("git branch -D x", "git branch -d -f x", R, "-D is --delete --force"),
        ("git tag -m v v2", "git tag -a -m v v2", R, None),
        ("git reset --hard HEAD^", "git reset --hard HEAD~1", R, None),
        ("git reset --hard", "git reset --hard HEAD", R, None),
        ("git stash", "git stash push", R, "git stash is git stash push"),
        ("git diff --cached", "git diff --staged", R, None),
        ("git add b a", "git add a b", R, None),
        ("git commit --all=false -m x", "git commit -m x", C, "--all takes no value"),
        ("git comit -m x", "git commit -m x", C, "did you mean commit"),
        ("gti status", "git status", C, "did you mean git"),
        # kubectl (pflag): no abbreviations, global flags anywhere, -o=wide, types
        ("kubectl get po -n dev", "kubectl -n dev get pods", R, None),
        ("kubectl get pods --namesp dev", "kubectl get pods -n dev", W, None),
        ("kubectl get pods -o=wide", "kubectl get pods -o wide", R, None),
        ("kubectl exec web -it -- sh", "kubectl exec -it web -- sh", R, None),
        ("kubectl exec -it web -- bash", "kubectl exec -it web -- sh", C, "should be sh"),
        (
            "kubectl scale deploy/web --replicas 3",
            "kubectl scale deployment web --replicas=3",
            R,
            None,
        ),
        # systemctl and journalctl (getopt_long): options anywhere, units as services
        ("systemctl enable nginx --now", "systemctl enable --now nginx.service", R, None),
        ("systemctl --failed", "systemctl list-units --state=failed", R, None),
        ("systemctl status nginx", "systemctl restart nginx", W, "but this asks for"),
        ("journalctl -fu nginx", "journalctl -u nginx.service -f", R, None),
        ("journalctl -n 20", "journalctl --lines=20", R, None),
        ("journalctl -b -1", "journalctl --boot=-1", R, None),
        ("journalctl docker.service", "journalctl -u docker.service", C, "missing -u (--unit)"),
    ],
)
def test_each_program_is_read_by_its_own_conventions(
    typed: str, answer: str, verdict: Verdict, says: str | None
) -> None:
    result = grade_command(typed, [answer])
    assert result.verdict is verdict, result.explanations
    if says is not None:
        assert any(says in e for e in result.explanations), result.explanations


def test_each_stage_of_a_pipeline_or_list_uses_its_own_model() -> None:
    right = grade_command(
        "git add -A && git commit -am wip | tee log",
        ["git add --all && git commit -a -m wip | tee log"],
    )
    assert right.verdict is R, right.explanations
    stage = grade_command("git log --oneline | head -n5", ["git log --oneline | head -n 5"])
    assert stage.verdict is R
    assert any("head has no CLI model here" in e for e in stage.explanations)
    missed = grade_command(
        "git add -A && git commit -m wip", ["git add -A && git commit -a -m wip"]
    )
    assert missed.verdict is C
    assert missed.explanations == ("git: missing -a (--all)",)
    other_op = grade_command("git add -A ; git commit -m wip", ["git add -A && git commit -m wip"])
    assert other_op.verdict is not R
    kube = grade_command("kubectl get po -o name | wc -l", ["kubectl get pods -o name | wc -l"])
    assert kube.verdict is R


def test_programs_without_a_model_use_posix_utility_conventions_and_say_so() -> None:
    result = grade_command("ls -la /tmp", ["ls -al /tmp"])
    assert result.verdict is R
    assert result.explanations == (
        "ls has no CLI model here: read by POSIX utility conventions "
        "(options before operands, -abc is -a -b -c)",
    )
    missing = grade_command("ls -l /tmp", ["ls -al /tmp"])
    assert missing.verdict is C
    assert missing.explanations[0] == "missing -a"
    assert "POSIX" in missing.explanations[-1]
    assert grade_command("tar -xzf a.tgz", ["tar -x -z -f a.tgz"]).verdict is R
    assert grade_command("head -n5 f", ["head -n 5 f"]).verdict is R
    assert grade_command("grep -i x f", ["grep x f"]).verdict is C
    assert grade_command("ls /tmp -l", ["ls -l /tmp"]).verdict is not R  # operands end options


# ---------------------------------------------------------------- the model format


MINIMAL = """\
[program]
name = "mytool"
version = "1.0"
parser = "gnu"

[commands.deploy]
does = "deploys a release"
args = "TARGET"
flags = ["f|force", "r|replicas:int=1", "e|env:keyvalue*", "l|level:enum(low|high)"]
"""


def test_an_author_model_grades_its_program() -> None:
    model = parse_model_text(MINIMAL)
    models = bundled_models().with_models((model,))
    answer = ["mytool deploy -f --replicas 3 prod"]
    assert grade_command("mytool deploy prod -fr3", answer, models=models).verdict is R
    assert grade_command("mytool deploy --forc -r 3 prod", answer, models=models).verdict is R
    assert grade_command("mytool deploy -f prod", answer, models=models).verdict is C
    default = grade_command("mytool deploy -r 1 prod", ["mytool deploy prod"], models=models)
    assert default.verdict is R and default.explanations == ("-r 1 is the default (--replicas 1)",)
    keyed = grade_command(
        "mytool deploy -e A=1 -e A=2 prod", ["mytool deploy -e A=2 prod"], models=models
    )
    assert keyed.verdict is R
    # without the model the same line is read by POSIX conventions
    assert grade_command("mytool deploy prod -fr3", answer).verdict is not R


@pytest.mark.parametrize(
    ("text", "line", "column", "says"),
    [
        ("[program\nname = 'x'\n", 1, 9, "Expected ']'"),
        ("[commands.a]\nflags = []\n", 1, 1, "[program]"),
        ('[program]\nname = "x"\nparser = "cobra"\n[commands.a]\n', 3, 1, "unknown parser 'cobra'"),
        ('[program]\nname = "x"\n[commands.a]\nflags = ["m|message:strng"]\n', 4, 10, "strng"),
        ('[program]\nname = "x"\n[commands.a]\nflgs = []\n', 4, 1, "unknown key 'flgs'"),
        ('[program]\nname = "x"\n[commands.a]\nflags = ["|:int"]\n', 4, 10, "not a flag spec"),
        ('[program]\nname = "x"\n', 1, 1, "[commands.NAME]"),
    ],
)
def test_a_broken_model_says_where(text: str, line: int, column: int, says: str) -> None:
    with pytest.raises(ModelError) as raised:
        parse_model_text(text)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert says in raised.value.message


def test_the_bundled_models_describe_their_versions_and_commands() -> None:
    models = bundled_models()
    git = models.get("git")
    kubectl = models.get("kubectl")
    systemctl = models.get("systemctl")
    journalctl = models.get("journalctl")
    assert git and kubectl and systemctl and journalctl
    assert git.version == "2.39" and git.conventions.parser == "git"
    assert kubectl.conventions.parser == "pflag" and kubectl.conventions.global_anywhere
    porcelain = {path[0] for path in git.commands}
    assert len(porcelain) >= 30
    for name in ("get", "describe", "apply", "create", "delete", "logs", "exec"):
        assert (name,) in kubectl.commands
    for name in ("port-forward", "scale"):
        assert (name,) in kubectl.commands
    assert ("rollout", "status") in kubectl.commands and ("config", "view") in kubectl.commands
    assert ("restart",) in systemctl.commands and () in journalctl.commands
    assert ("compose", "up") in docker_model().commands
    assert docker_model().routes[("buildx", "build")] == ("image", "build")


def test_a_models_aliases_are_public() -> None:
    assert docker_model().aliases()["ps"] == "container ls"
    kubectl = bundled_models().get("kubectl")
    assert kubectl is not None and kubectl.aliases()["create deploy"] == "create deployment"


def test_validate_warnings_name_options_and_commands_a_model_lacks() -> None:
    assert model_warnings("git commit --frobnicate -m x") == [
        "git commit has no option --frobnicate in its CLI model"
    ]
    assert model_warnings("git frobnicate") == ["git frobnicate: unknown git command"]
    assert model_warnings("ls -la | kubectl get pods -x") == [
        "kubectl get has no option -x in its CLI model"
    ]
    assert model_warnings("git commit -am wip && systemctl restart nginx") == []


def test_reading_is_what_the_parser_does() -> None:
    line = read_command("git -C repo commit -qam wip -- a.txt")
    assert line.command is not None and line.command.path == ("commit",)
    assert [(u.scope, u.flag.key if u.flag else None, u.value) for u in line.uses] == [
        ("global", "-C", "repo"),
        ("command", "quiet", "true"),
        ("command", "all", "true"),
        ("command", "message", "wip"),
    ]
    assert line.args == ("a.txt",)
    kube = read_command("kubectl exec web -c app -- ls -l")
    assert kube.args == ("web",) and kube.passthrough == ("ls", "-l")


def test_grading_other_programs_is_fast() -> None:
    typical = [
        ("git commit -am wip", ["git commit -a -m wip"]),
        ("kubectl get po -n dev -owide", ["kubectl get pods -n dev -o wide"]),
        ("journalctl -fu nginx", ["journalctl -u nginx.service -f"]),
        ("git log --oneline | head -n5", ["git log --oneline | head -n 5"]),
    ]
    for typed, answers in typical:
        grade_command(typed, answers)
    rounds = 100
    start = time.perf_counter()
    for _ in range(rounds):
        for typed, answers in typical:
            grade_command(typed, answers)
    per_answer = (time.perf_counter() - start) / (rounds * len(typical))
    assert per_answer < 0.002, f"{per_answer * 1e6:.0f} µs per answer"


def test_the_documented_example_model_parses_and_grades() -> None:
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "cli-models.md"
    found = re.search(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    assert found is not None
    model = parse_model_text(found.group(1))
    models = bundled_models().with_models((model,))
    answer = ["mytool deploy --force -m x prod eu"]
    result = grade_command("mytool up prod -fm x", answer, models=models)
    assert result.verdict is R
    assert result.explanations == ("mytool up is mytool deploy", "-fm is -f -m")
