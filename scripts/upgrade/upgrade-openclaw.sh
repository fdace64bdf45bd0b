#!/bin/sh
# The OpenClaw upgrade of docs/OPENCLAW.md as one step on the host, with its own rollback, for
# Linux and macOS hosts (upgrade-openclaw.ps1 is the same for Windows). Tier 2 sends it as one
# hostops command; it runs to its end on the host even when the gateway it rebuilds (where Tier 2
# may live) goes away, and its result waits in the dispatcher under the command's id.
#
# Steps: refuse a dirty repository, remember HEAD, fetch, check out the ref, fast-forward a branch,
# rebuild and restart the service, wait for /healthz and /readyz. With --rollback-on-failure, a
# failure after the checkout puts the previous commit back (the branch is moved back with
# checkout -B, no reset --hard), rebuilds, and waits for health again.
#
# Progress goes to stderr (hostops streams it live); stdout is one line,
# OPENCLAW_RESULT_JSON:{...}, small enough for a result's stdoutTail. Exit 0 on success, 1 on
# failure, 2 for a usage error.
set -u

usage() {
    cat >&2 <<'USAGE'
usage: upgrade-openclaw.sh --repo DIR [--compose-dir DIR] [--ref main] [--service openclaw-gateway]
       [--health-url http://127.0.0.1:18789] [--health-timeout 120] [--rollback-on-failure]
       [--allow-dirty] [--git git] [--docker docker] [--curl curl]
USAGE
    exit 2
}

repo='' compose_dir='' ref='main' service='openclaw-gateway' health_url='http://127.0.0.1:18789'
health_timeout=120 rollback=0 allow_dirty=0 git='git' docker='docker' curl='curl'
while [ $# -gt 0 ]; do
    case "$1" in
        --repo) repo=${2-}; shift ;;
        --compose-dir) compose_dir=${2-}; shift ;;
        --ref) ref=${2-}; shift ;;
        --service) service=${2-}; shift ;;
        --health-url) health_url=${2-}; shift ;;
        --health-timeout) health_timeout=${2-}; shift ;;
        --rollback-on-failure) rollback=1 ;;
        --allow-dirty) allow_dirty=1 ;;
        --git) git=${2-}; shift ;;
        --docker) docker=${2-}; shift ;;
        --curl) curl=${2-}; shift ;;
        *) echo "upgrade-openclaw.sh: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
[ -n "$repo" ] || usage
[ -n "$compose_dir" ] || compose_dir=$repo
case "$health_timeout" in ''|*[!0-9]*) echo "upgrade-openclaw.sh: --health-timeout takes seconds" >&2; usage ;; esac

success=false dirty=false before_sha='' before_branch='' after_sha='' after_branch='' healthz=false readyz=false
rollback_performed=false rollback_healthy=false failed_step='' error='' rollback_error='' out=''

# Runs a command with its output on stderr; keeps the output in $out and returns its exit code.
step() {
    echo "==> $*" >&2
    out=$("$@" 2>&1)
    code=$?
    [ -z "$out" ] || printf '%s\n' "$out" >&2
    return $code
}

# Records why the upgrade stopped: the step and the last lines of its output.
failed() {
    failed_step=$1
    error="$2$(printf '%s' "$out" | tail -n 5 | sed 's/^/ | /' | tr '\n' ' ')"
    return 1
}

healthy() {
    "$curl" -fsS -o /dev/null --max-time 5 "$health_url/$1" >/dev/null 2>&1
}

# Waits for /healthz and /readyz, polling every 3 s until --health-timeout.
wait_healthy() {
    deadline=$(( $(date +%s) + health_timeout ))
    while :; do
        healthz=false readyz=false
        healthy healthz && healthz=true
        healthy readyz && readyz=true
        [ "$healthz" = true ] && [ "$readyz" = true ] && return 0
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 3
    done
}

upgrade() {
    cd "$repo" 2>/dev/null || { failed repo "the repository $repo does not exist"; return 1; }
    step "$git" status --porcelain || { failed status "git status failed"; return 1; }
    if [ -n "$out" ] && [ "$allow_dirty" -eq 0 ]; then
        dirty=true
        failed status "the working tree has local changes; refusing to upgrade"
        return 1
    fi
    step "$git" rev-parse HEAD || { failed rev-parse "git rev-parse HEAD failed"; return 1; }
    before_sha=$out
    before_branch=$("$git" symbolic-ref --short -q HEAD 2>/dev/null || true)
    step "$git" fetch --all --prune || { failed fetch "git fetch failed"; return 1; }
    step "$git" checkout "$ref" || { failed checkout "git checkout $ref failed"; return 1; }
    after_branch=$("$git" symbolic-ref --short -q HEAD 2>/dev/null || true)
    if [ -n "$after_branch" ]; then
        step "$git" pull --ff-only || { failed pull "git pull --ff-only failed"; return 1; }
    fi
    step "$git" rev-parse HEAD || { failed rev-parse "git rev-parse HEAD failed"; return 1; }
    after_sha=$out
    cd "$compose_dir" 2>/dev/null || { failed compose "the compose directory $compose_dir does not exist"; return 1; }
    step "$docker" compose up -d --build "$service" || { failed compose-up "docker compose up failed"; return 1; }
    out=''
    wait_healthy || { failed health "the service did not become healthy within ${health_timeout}s"; return 1; }
    success=true
}

roll_back() {
    echo "==> rolling back to $before_sha" >&2
    cd "$repo" || return 1
    if [ -n "$before_branch" ]; then
        step "$git" checkout -B "$before_branch" "$before_sha" || { rollback_error="git checkout -B failed: $out"; return 1; }
    else
        step "$git" checkout --detach "$before_sha" || { rollback_error="git checkout failed: $out"; return 1; }
    fi
    rollback_performed=true
    cd "$compose_dir" || return 1
    step "$docker" compose up -d --build "$service" || { rollback_error="docker compose up failed: $out"; return 1; }
    wait_healthy && rollback_healthy=true
    return 0
}

# A JSON string (or null for an empty value): quotes, backslashes, tabs and line breaks escaped,
# other control characters dropped.
json() {
    if [ -z "$1" ]; then
        printf 'null'
        return
    fi
    printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\010\013-\037' \
        | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' | awk 'NR > 1 { printf "%s", "\\n" } { printf "%s", $0 }')"
}

upgrade
# The target's health, whatever a rollback's own wait finds later.
target_healthz=$healthz target_readyz=$readyz
changed=false
[ -n "$before_sha" ] && [ "$("$git" -C "$repo" rev-parse HEAD 2>/dev/null)" != "$before_sha" ] && changed=true
if [ "$success" != true ] && [ "$rollback" -eq 1 ] && [ "$changed" = true ]; then
    roll_back
fi
logs_tail=$(cd "$compose_dir" 2>/dev/null && "$docker" compose logs --tail=20 "$service" 2>&1 | tail -c 1500)

printf 'OPENCLAW_RESULT_JSON:{"success":%s,"requestedRef":%s,"beforeSha":%s,"beforeBranch":%s,"afterSha":%s,"afterBranch":%s,"dirtyRepo":%s,"healthz":%s,"readyz":%s,"rollbackPerformed":%s,"rollbackHealthy":%s,"failedStep":%s,"error":%s,"rollbackError":%s,"logsTail":%s}\n' \
    "$success" "$(json "$ref")" "$(json "$before_sha")" "$(json "$before_branch")" "$(json "$after_sha")" \
    "$(json "$after_branch")" "$dirty" "$target_healthz" "$target_readyz" "$rollback_performed" "$rollback_healthy" \
    "$(json "$failed_step")" "$(json "$error")" "$(json "$rollback_error")" "$(json "$logs_tail")"
[ "$success" = true ]
