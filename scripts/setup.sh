#!/usr/bin/env bash
# symrelu's test command: set up a fresh Debian/Ubuntu machine, then run the tests.
#   1. Coq 8.16 with Coquelicot and Interval from Debian, when coqc, Coquelicot or Interval is missing (apt-get update first;
#      as root, or through sudo when it is available);
#   2. the virtual environment .venv with the package and its dev extra;
#   3. pytest, with any arguments given to this script. Exits with pytest's status.
set -euo pipefail
cd "$(dirname "$0")/.."
coq_ready() {  # coqc present, with Coquelicot and Interval loadable
  command -v coqc >/dev/null 2>&1 || return 1
  probe=$(mktemp -d)
  printf 'From Coquelicot Require Import Coquelicot.\nFrom Interval Require Import Tactic.\n' > "$probe/probe.v"
  (cd "$probe" && coqc probe.v >/dev/null 2>&1); status=$?
  rm -rf "$probe"
  return $status
}
if ! coq_ready; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup.sh: coqc is missing and neither root nor sudo is available; install coq libcoq-coquelicot libcoq-interval" >&2
    exit 1
  fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends coq libcoq-coquelicot libcoq-interval
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
