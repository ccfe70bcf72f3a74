"""The pairs of the kubectl, systemctl and journalctl corpora, labelled from the docs.

None of the three is installed on the project's machines, so no program labels them: each
answer comes with spellings its parser reads the same (`same`) and near misses it does not
(`different`), by what the parser's and the command's documentation say (the URLs in BY).
`python -m tests.oracle.docs_pairs` writes kubectl_corpus.yaml, systemctl_corpus.yaml and
journalctl_corpus.yaml from these lists.
"""

from __future__ import annotations

PFLAG = "https://pkg.go.dev/github.com/spf13/pflag"
KUBECTL = "https://kubernetes.io/docs/reference/kubectl/"
GETOPT = "https://man7.org/linux/man-pages/man3/getopt.3.html"
SYSTEMCTL = "https://www.freedesktop.org/software/systemd/man/systemctl.html"
JOURNALCTL = "https://www.freedesktop.org/software/systemd/man/journalctl.html"
BY = {
    "kubectl": f"docs: {PFLAG} and {KUBECTL}",
    "systemctl": f"docs: {GETOPT} and {SYSTEMCTL}",
    "journalctl": f"docs: {GETOPT} and {JOURNALCTL}",
}

# (answer, [typed the same], [typed not the same])
KUBECTL_PAIRS: list[tuple[str, list[str], list[str]]] = [
    (
        "kubectl get pods -n kube-system",
        [
            "kubectl get po -n kube-system",
            "kubectl -n kube-system get pods",
            "kubectl get pods --namespace=kube-system",
            "kubectl get pod --namespace kube-system",
            "kubectl get pods -nkube-system",
            "kubectl get pods -n=kube-system",
            "kubectl --namespace kube-system get po",
        ],
        [
            "kubectl get pods",
            "kubectl get pods -n default",
            "kubectl get svc -n kube-system",
            "kubectl describe pods -n kube-system",
            "kubectl get pods -A",
            "kubectl get pods -n kube-system -w",
        ],
    ),
    (
        "kubectl get pods -A -o wide",
        [
            "kubectl get pods --all-namespaces -o wide",
            "kubectl get po -Aowide",
            "kubectl get pods -o=wide -A",
            "kubectl get pods --output=wide --all-namespaces",
            "kubectl get pods -A --output wide",
            "kubectl get pods --all-namespaces=true -owide",
        ],
        [
            "kubectl get pods -A",
            "kubectl get pods -o wide",
            "kubectl get pods -A -o yaml",
            "kubectl get pods --all-namespaces=false -o wide",
            "kubectl get nodes -A -o wide",
        ],
    ),
    (
        "kubectl describe deployment web",
        [
            "kubectl describe deploy web",
            "kubectl describe deployment/web",
            "kubectl describe deployments web",
            "kubectl describe deploy/web",
            "kubectl describe Deployment web",
        ],
        [
            "kubectl describe deployment api",
            "kubectl describe pod web",
            "kubectl get deployment web",
            "kubectl describe deployment",
        ],
    ),
    (
        "kubectl apply -f app.yaml",
        [
            "kubectl apply --filename=app.yaml",
            "kubectl apply --filename app.yaml",
            "kubectl apply -fapp.yaml",
            "kubectl apply -f=app.yaml",
            "kubectl apply -f ./app.yaml",
        ],
        [
            "kubectl apply -f other.yaml",
            "kubectl create -f app.yaml",
            "kubectl apply -k app.yaml",
            "kubectl apply -f app.yaml --dry-run=client",
            "kubectl delete -f app.yaml",
        ],
    ),
    (
        "kubectl logs -f web --tail=20",
        [
            "kubectl logs web --follow --tail 20",
            "kubectl logs pod/web -f --tail=20",
            "kubectl logs --tail=20 -f web",
            "kubectl logs web -f=true --tail 20",
            "kubectl logs po/web --tail 20 --follow",
        ],
        [
            "kubectl logs web --tail=20",
            "kubectl logs -f web",
            "kubectl logs -f web --tail=10",
            "kubectl logs -f api --tail=20",
            "kubectl logs -f web --tail=20 -p",
        ],
    ),
    (
        "kubectl exec -it web -- sh",
        [
            "kubectl exec -i -t web -- sh",
            "kubectl exec web -it -- sh",
            "kubectl exec --stdin --tty web -- sh",
            "kubectl exec -ti web -- sh",
            "kubectl exec pod/web -it -- sh",
        ],
        [
            "kubectl exec -it web -- bash",
            "kubectl exec -i web -- sh",
            "kubectl exec -it api -- sh",
            "kubectl exec -it web -c app -- sh",
            "kubectl exec -it web -- sh -c ls",
        ],
    ),
    (
        "kubectl port-forward web 8080:80",
        [
            "kubectl port-forward pod/web 8080:80",
            "kubectl port-forward pods/web 8080:80",
        ],
        [
            "kubectl port-forward web 8080:8080",
            "kubectl port-forward web 80:8080",
            "kubectl port-forward svc/web 8080:80",
            "kubectl port-forward web 8080:80 --address 0.0.0.0",
        ],
    ),
    (
        "kubectl scale deployment web --replicas=3",
        [
            "kubectl scale deploy/web --replicas 3",
            "kubectl scale --replicas=3 deployment/web",
            "kubectl scale deployments web --replicas=3",
            "kubectl scale deployment web --replicas 3",
        ],
        [
            "kubectl scale deployment web --replicas=2",
            "kubectl scale deployment api --replicas=3",
            "kubectl scale statefulset web --replicas=3",
            "kubectl scale deployment web",
        ],
    ),
    (
        "kubectl rollout status deployment/web",
        [
            "kubectl rollout status deploy web",
            "kubectl rollout status deployment web -w",
            "kubectl rollout status deployment web --watch=true",
        ],
        [
            "kubectl rollout history deployment/web",
            "kubectl rollout status deployment/api",
            "kubectl rollout status deployment web --watch=false",
        ],
    ),
    (
        "kubectl rollout undo deployment/web --to-revision=2",
        [
            "kubectl rollout undo deploy web --to-revision 2",
            "kubectl rollout undo --to-revision=2 deployment web",
        ],
        [
            "kubectl rollout undo deployment/web",
            "kubectl rollout undo deployment/web --to-revision=3",
            "kubectl rollout restart deployment/web",
        ],
    ),
    (
        "kubectl create deployment web --image=nginx",
        [
            "kubectl create deploy web --image nginx",
            "kubectl create deployment --image=nginx web",
            "kubectl create deployment web --image=nginx --replicas=1",
        ],
        [
            "kubectl create deployment web --image=httpd",
            "kubectl create deployment web --image=nginx --replicas=2",
            "kubectl run web --image=nginx",
            "kubectl create deployment api --image=nginx",
        ],
    ),
    (
        "kubectl delete pod web",
        [
            "kubectl delete po web",
            "kubectl delete pod/web",
            "kubectl delete pods web",
            "kubectl delete pod web --wait=true",
            "kubectl delete pod web --grace-period=-1",
        ],
        [
            "kubectl delete pod api",
            "kubectl delete pod web --force",
            "kubectl delete deployment web",
            "kubectl delete pod web --now",
            "kubectl delete pod web --wait=false",
        ],
    ),
    (
        "kubectl config use-context staging",
        ["kubectl config use staging"],
        [
            "kubectl config use-context prod",
            "kubectl config set-context staging",
            "kubectl config current-context",
        ],
    ),
    (
        "kubectl get svc web -o yaml",
        [
            "kubectl get service web -oyaml",
            "kubectl get services web --output=yaml",
            "kubectl get svc/web -o yaml",
            "kubectl get -o yaml svc web",
        ],
        [
            "kubectl get svc web -o json",
            "kubectl get svc web",
            "kubectl get svc api -o yaml",
        ],
    ),
    (
        "kubectl get pods -l app=web",
        [
            "kubectl get pods --selector=app=web",
            "kubectl get po --selector app=web",
            "kubectl get pods -lapp=web",
        ],
        [
            "kubectl get pods -l app=api",
            "kubectl get pods -L app=web",
            "kubectl get pods --field-selector=app=web",
        ],
    ),
    (
        "kubectl get pods --field-selector=status.phase=Running -o name | wc -l",
        [
            "kubectl get po -o name --field-selector status.phase=Running | wc -l",
        ],
        [
            "kubectl get pods --field-selector=status.phase=Running -o name | wc -c",
            "kubectl get pods -o name | wc -l",
        ],
    ),
]

SYSTEMCTL_PAIRS: list[tuple[str, list[str], list[str]]] = [
    (
        "systemctl restart nginx.service",
        [
            "systemctl restart nginx",
            "sudo systemctl restart nginx",
            "systemctl restart -- nginx.service",
        ],
        [
            "systemctl reload nginx",
            "systemctl restart apache2",
            "systemctl try-restart nginx",
            "systemctl restart nginx.socket",
            "systemctl restart nginx --user",
        ],
    ),
    (
        "systemctl enable --now docker.service",
        [
            "systemctl enable docker --now",
            "systemctl --now enable docker",
            "systemctl enable --now -- docker",
        ],
        [
            "systemctl enable --no docker",
            "systemctl enable docker",
            "systemctl start docker",
            "systemctl enable --now containerd",
            "systemctl disable --now docker",
            "systemctl enable --now --runtime docker",
        ],
    ),
    (
        "systemctl status sshd --no-pager -l",
        [
            "systemctl status --no-pager --full sshd.service",
            "systemctl --no-pager -l status sshd",
            "systemctl status sshd --no-pag --full",
            "systemctl -l status --no-pager sshd",
        ],
        [
            "systemctl status sshd",
            "systemctl status sshd --no-pager",
            "systemctl status sshd -l",
            "systemctl show sshd --no-pager -l",
            "systemctl status ssh --no-pager -l",
        ],
    ),
    (
        "systemctl --failed",
        [
            "systemctl list-units --failed",
            "systemctl list-units --state=failed",
            "systemctl --state=failed",
            "systemctl --state failed",
        ],
        [
            "systemctl --fail",
            "systemctl",
            "systemctl list-units",
            "systemctl --state=active",
            "systemctl list-unit-files --state=failed",
        ],
    ),
    (
        "systemctl --user list-timers --all",
        [
            "systemctl list-timers --all --user",
            "systemctl list-timers -a --user",
            "systemctl --user -a list-timers",
            "systemctl list-timers --user --all",
        ],
        [
            "systemctl list-timers --all",
            "systemctl --user list-timers",
            "systemctl --user list-units --all",
            "systemctl --system list-timers --all",
        ],
    ),
    (
        "systemctl daemon-reload",
        ["sudo systemctl daemon-reload"],
        ["systemctl daemon-reexec", "systemctl reload", "systemctl --user daemon-reload"],
    ),
    (
        "systemctl list-units --type=service --state=running",
        [
            "systemctl list-units -t service --state running",
            "systemctl --type service --state=running list-units",
            "systemctl list-units --state=running --type=service",
            "systemctl -t service --state=running",
            "systemctl list-units -tservice --state=running",
        ],
        [
            "systemctl list-units --type=service",
            "systemctl list-units --type=socket --state=running",
            "systemctl list-unit-files --type=service --state=running",
            "systemctl list-units --type=service --state=exited",
        ],
    ),
    (
        "systemctl is-active nginx",
        ["systemctl is-active nginx.service", "systemctl is-active -- nginx"],
        ["systemctl is-enabled nginx", "systemctl is-failed nginx", "systemctl is-active -q nginx"],
    ),
    (
        "systemctl stop nginx apache2",
        [
            "systemctl stop apache2 nginx",
            "systemctl stop nginx.service apache2.service",
        ],
        ["systemctl stop nginx", "systemctl kill nginx apache2", "systemctl stop nginx apache"],
    ),
    (
        "systemctl mask --now bluetooth",
        [
            "systemctl --now mask bluetooth.service",
            "systemctl mask bluetooth --now",
        ],
        [
            "systemctl mask bluetooth",
            "systemctl disable --now bluetooth",
            "systemctl unmask --now bluetooth",
        ],
    ),
    (
        "systemctl kill -s HUP nginx",
        [
            "systemctl kill --signal=HUP nginx",
            "systemctl kill --signal HUP nginx.service",
            "systemctl kill -sHUP nginx",
            "systemctl kill nginx -s HUP",
        ],
        ["systemctl kill nginx", "systemctl kill -s TERM nginx", "systemctl reload nginx"],
    ),
    (
        "systemctl show -p ActiveState nginx",
        [
            "systemctl show --property=ActiveState nginx",
            "systemctl show nginx --property ActiveState",
            "systemctl show -pActiveState nginx.service",
        ],
        [
            "systemctl show nginx",
            "systemctl show -p MainPID nginx",
            "systemctl status -p ActiveState nginx",
        ],
    ),
    (
        "systemctl set-default multi-user.target",
        ["systemctl set-default -- multi-user.target"],
        [
            "systemctl get-default",
            "systemctl isolate multi-user.target",
            "systemctl set-default graphical.target",
        ],
    ),
    (
        "systemctl list-unit-files --state=enabled",
        ["systemctl list-unit-files --state enabled", "systemctl --state=enabled list-unit-files"],
        [
            "systemctl list-unit-files",
            "systemctl list-units --state=enabled",
            "systemctl list-unit-files --state=disabled",
        ],
    ),
    (
        "systemctl edit --full nginx",
        ["systemctl edit -l nginx.service", "systemctl --full edit nginx"],
        ["systemctl edit nginx", "systemctl cat nginx", "systemctl edit --full apache2"],
    ),
    (
        "systemctl reboot",
        ["sudo systemctl reboot"],
        ["systemctl poweroff", "systemctl halt", "systemctl reboot --force"],
    ),
]

JOURNALCTL_PAIRS: list[tuple[str, list[str], list[str]]] = [
    (
        "journalctl -u docker.service",
        [
            "journalctl --unit=docker.service",
            "journalctl --unit docker",
            "journalctl -u docker",
            "journalctl -udocker.service",
            "journalctl --uni docker.service",
            "sudo journalctl -u docker",
        ],
        [
            "journalctl -u containerd.service",
            "journalctl docker.service",
            "journalctl --user-unit docker.service",
            "journalctl -u docker.socket",
            "journalctl -u docker -f",
            "journalctl",
        ],
    ),
    (
        "journalctl -f -u nginx",
        [
            "journalctl -fu nginx",
            "journalctl --follow --unit=nginx.service",
            "journalctl -u nginx -f",
            "journalctl --foll -u nginx",
            "journalctl -u nginx --follow",
        ],
        [
            "journalctl -u nginx",
            "journalctl -f",
            "journalctl -f -u apache2",
            "journalctl -r -u nginx",
            "journalctl -uf nginx",
        ],
    ),
    (
        "journalctl -n 50",
        [
            "journalctl -n50",
            "journalctl --lines=50",
            "journalctl --lines 50",
            "journalctl --line=50",
        ],
        ["journalctl -n 20", "journalctl", "journalctl -n 50 -r", "journalctl -e"],
    ),
    (
        "journalctl -b -1 -p err",
        [
            "journalctl --boot=-1 --priority=err",
            "journalctl -p err -b -1",
            "journalctl -b-1 -perr",
            "journalctl --boot -1 --priority err",
            "journalctl -p err --boot=-1",
        ],
        [
            "journalctl -b -p err",
            "journalctl -b -1",
            "journalctl -b -1 -p warning",
            "journalctl -b -2 -p err",
            "journalctl -k -b -1 -p err",
        ],
    ),
    (
        'journalctl --since "1 hour ago" -r',
        [
            "journalctl -r --since='1 hour ago'",
            "journalctl -S '1 hour ago' --reverse",
            "journalctl --since='1 hour ago' --reverse",
            "journalctl -rS '1 hour ago'",
        ],
        [
            "journalctl --since '1 hour ago'",
            "journalctl --until '1 hour ago' -r",
            "journalctl --since '2 hours ago' -r",
            "journalctl --since yesterday -r",
        ],
    ),
    (
        "journalctl -k",
        ["journalctl --dmesg", "sudo journalctl -k"],
        ["journalctl -k -b -1", "journalctl", "journalctl -x"],
    ),
    (
        "journalctl -xe",
        [
            "journalctl -x -e",
            "journalctl -ex",
            "journalctl --catalog --pager-end",
            "journalctl -e --catalog",
        ],
        ["journalctl -x", "journalctl -e", "journalctl -xef", "journalctl -xr"],
    ),
    (
        "journalctl -o json-pretty -n 1",
        [
            "journalctl --output=json-pretty -n1",
            "journalctl -n 1 --output json-pretty",
            "journalctl -ojson-pretty --lines=1",
        ],
        ["journalctl -o json -n 1", "journalctl -o json-pretty", "journalctl -o json-pretty -n 2"],
    ),
    (
        "journalctl --disk-usage",
        ["journalctl --disk-us", "sudo journalctl --disk-usage"],
        ["journalctl --vacuum-size=1G", "journalctl --verify", "journalctl"],
    ),
    (
        "journalctl --vacuum-time=2weeks",
        ["journalctl --vacuum-time 2weeks", "journalctl --vacuum-t=2weeks"],
        [
            "journalctl --vacuum-time=1weeks",
            "journalctl --vacuum-size=2G",
            "journalctl --vacuum-files=2",
        ],
    ),
    (
        "journalctl _PID=1234",
        ["journalctl -- _PID=1234"],
        ["journalctl _PID=4321", "journalctl -t 1234", "journalctl _UID=1234"],
    ),
    (
        "journalctl -t sshd --since today",
        [
            "journalctl --identifier=sshd --since=today",
            "journalctl --since today -t sshd",
            "journalctl -tsshd -S today",
        ],
        [
            "journalctl -u sshd --since today",
            "journalctl -t sshd",
            "journalctl -t sshd --since yesterday",
        ],
    ),
    (
        "journalctl --list-boots",
        ["journalctl --list-b", "sudo journalctl --list-boots"],
        ["journalctl -b", "journalctl --list-catalog", "journalctl --list-boots --no-pager=false"],
    ),
    (
        "journalctl -u nginx -u php-fpm",
        ["journalctl -u php-fpm -u nginx", "journalctl --unit=nginx --unit=php-fpm.service"],
        ["journalctl -u nginx", "journalctl -u nginx -u mysql"],
    ),
    (
        "journalctl --utc -n 10 --no-pager",
        ["journalctl -n10 --no-pager --utc", "journalctl --no-pager --lines=10 --utc"],
        [
            "journalctl -n 10 --no-pager",
            "journalctl --utc -n 10",
            "journalctl --utc -n 5 --no-pager",
        ],
    ),
]

PAIRS = {
    "kubectl": KUBECTL_PAIRS,
    "systemctl": SYSTEMCTL_PAIRS,
    "journalctl": JOURNALCTL_PAIRS,
}


def main() -> int:
    from tests.oracle.cli_corpus import Pair, write

    for model, listed in PAIRS.items():
        pairs = [
            Pair(answer, typed, same, BY[model])
            for answer, same_list, different in listed
            for same, typeds in ((True, same_list), (False, different))
            for typed in typeds
        ]
        header = (
            f"# {model} is not installed here: labelled from its parser's and its own docs\n"
            "# (python -m tests.oracle.docs_pairs, from tests/oracle/docs_pairs.py).\n"
        )
        write(model, pairs, header)
        print(model, len(pairs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
