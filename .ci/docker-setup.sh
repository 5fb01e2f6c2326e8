#!/usr/bin/env bash
# Make Docker usable for the docker-marked tests: install docker.io and debootstrap if missing,
# start dockerd if no daemon answers, and build the offline base image if it does not exist.
# Safe to run repeatedly; every step is skipped when its result is already there.
# DOCKER_HOST picks the daemon as everywhere; DOCKERD_ARGS adds flags to a dockerd this script starts
# (e.g. its own --host/--data-root/--exec-root/--pidfile, to try this script beside a running daemon).
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKERD_WAIT_S=60
DOCKERD_LOG=${DOCKERD_LOG:-/tmp/dockerd.log}
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

daemon_answers() { timeout 5 docker info >/dev/null 2>&1; }

start_dockerd() {
  # setsid: the daemon must outlive this script and the CI step that ran it.
  # shellcheck disable=SC2086  # DOCKERD_ARGS is a list of flags
  $SUDO setsid dockerd $group_flag ${DOCKERD_ARGS:-} "$@" >"$DOCKERD_LOG" 2>&1 < /dev/null &
  dockerd_pid=$!
  for _ in $(seq "$DOCKERD_WAIT_S"); do
    daemon_answers && return 0
    kill -0 "$dockerd_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

missing=()
# The machine may ship the docker CLI alone; the daemon is what the tests need.
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "docker-setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A user who is not root reaches the socket through their own group.
group_flag=""
[ -z "$SUDO" ] || group_flag="--group=$(id -gn)"

if ! daemon_answers; then
  echo "docker-setup: starting dockerd (log: $DOCKERD_LOG)"
  if ! start_dockerd; then
    # Machines (or outer containers) without usable iptables: the sandboxes run with --network none
    # anyway, so a daemon without NAT rules is enough.
    if grep -qi "iptables" "$DOCKERD_LOG" 2>/dev/null; then
      echo "docker-setup: dockerd failed on iptables; starting it again with --iptables=false"
      $SUDO kill "$dockerd_pid" 2>/dev/null || true
      wait "$dockerd_pid" 2>/dev/null || true
      start_dockerd --iptables=false --ip-masq=false || true
    fi
  fi
  if ! daemon_answers; then
    echo "docker-setup: dockerd did not answer within ${DOCKERD_WAIT_S} s; last lines of $DOCKERD_LOG:" >&2
    tail -n 20 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
fi

# debootstrap needs root; sudo would drop DOCKER_HOST, so it is passed on explicitly.
$SUDO env ${DOCKER_HOST:+DOCKER_HOST="$DOCKER_HOST"} "$PYTHON" -m optimizer_agent.sandbox.commands build-base
