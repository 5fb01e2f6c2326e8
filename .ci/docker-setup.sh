#!/usr/bin/env bash
# Make Docker usable for the docker-marked tests: install docker.io and debootstrap if missing,
# start dockerd if no daemon answers, and build the offline base image if it does not exist.
# Safe to run repeatedly; every step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKERD_WAIT_S=60
DOCKERD_LOG=${DOCKERD_LOG:-/tmp/dockerd.log}
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

daemon_answers() { timeout 5 docker info >/dev/null 2>&1; }

missing=()
# The machine may ship the docker CLI alone; the daemon is what the tests need.
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "docker-setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! daemon_answers; then
  echo "docker-setup: starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the daemon must outlive this script and the CI step that ran it.
  $SUDO setsid dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
  for _ in $(seq "$DOCKERD_WAIT_S"); do
    daemon_answers && break
    sleep 1
  done
  if ! daemon_answers; then
    echo "docker-setup: dockerd did not answer within ${DOCKERD_WAIT_S} s; last lines of $DOCKERD_LOG:" >&2
    tail -n 20 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
fi

"$PYTHON" -m optimizer_agent.sandbox.commands build-base
