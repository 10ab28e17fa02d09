#!/usr/bin/env bash
# Stop the throwaway Ceph cluster started by ceph-start.sh: exactly the processes whose PIDs it
# recorded in ${FLEURON_CEPH_DIR:-/tmp/fleuron-ceph}/pids, radosgw first, the monitor last.
# Safe to run twice or when nothing runs. Leaves the state dir (logs) in place; the next start wipes it.
set -uo pipefail

DIR="${FLEURON_CEPH_DIR:-/tmp/fleuron-ceph}"
WAIT="${FLEURON_CEPH_STOP_WAIT:-20}"

[ -d "$DIR/pids" ] || { echo "[ceph-stop] nothing to stop ($DIR/pids does not exist)" >&2; exit 0; }

# Is PID $1 still the daemon we started ($2 = executable name)? Guards against PID reuse.
ours() {
  local exe
  [ -d "/proc/$1" ] || return 1
  exe="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | awk '{print $1}')"
  [ "$(basename -- "$exe")" = "$2" ]
}

stop_one() { # name executable
  local pidfile="$DIR/pids/$1.pid" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(tr -dc 0-9 <"$pidfile")"
  if [ -n "$pid" ] && ours "$pid" "$2"; then
    echo "[ceph-stop] stopping $1 (pid $pid)" >&2
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 $((WAIT * 10))); do
      ours "$pid" "$2" || break
      sleep 0.1
    done
    if ours "$pid" "$2"; then
      echo "[ceph-stop] $1 (pid $pid) still running after ${WAIT}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
      for i in $(seq 1 50); do ours "$pid" "$2" || break; sleep 0.1; done
    fi
  fi
  if [ -n "$pid" ] && ours "$pid" "$2"; then
    echo "[ceph-stop] could not stop $1 (pid $pid)" >&2
    return 1
  fi
  rm -f "$pidfile"
}

rc=0
stop_one client.rgw.a radosgw || rc=1
stop_one osd.0 ceph-osd || rc=1
stop_one mon.a ceph-mon || rc=1
exit $rc
