#!/usr/bin/env bash
# npm run test:real-s3 [-- jest args]
# Builds fleuron, starts a throwaway Ceph RGW (ceph-start.sh), runs the integration suite
# (__tests__/integration) against it with the FLEURON_TEST_S3_* variables set, and stops Ceph on
# exit whatever happened. Exits with jest's status, or non-zero (loudly) when Ceph cannot start.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HERE=scripts/real-s3
export FLEURON_CEPH_DIR="${FLEURON_CEPH_DIR:-/tmp/fleuron-ceph}"

loud() {
  {
    echo
    echo "##########################################################################"
    echo "## test:real-s3 FAILED: $*"
    echo "##########################################################################"
  } >&2
}

npm run build || { loud "npm run build failed"; exit 1; }

trap 'bash "$HERE/ceph-stop.sh"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$EPOCHREALTIME
if ! bash "$HERE/ceph-start.sh" >/dev/null; then
  loud "Ceph RGW could not be installed or started (needs root and Debian package access; see above). The integration suite did NOT run against a real S3 server."
  exit 1
fi
t1=$EPOCHREALTIME
# shellcheck disable=SC1091
source "$FLEURON_CEPH_DIR/env"
echo "[test:real-s3] Ceph RGW ready in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s at $FLEURON_TEST_S3_ENDPOINT" >&2

node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js __tests__/integration "$@"
rc=$?
t2=$EPOCHREALTIME
echo "[test:real-s3] integration suite against Ceph RGW: exit $rc in $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.1f", b-a}') s" >&2
exit $rc
