#!/usr/bin/env bash
# Start a throwaway single-node Ceph cluster (1 monitor, 1 memstore OSD, 1 radosgw)
# on 127.0.0.1, for fleuron's integration tests against a real S3 implementation.
#
#   bash scripts/real-s3/ceph-start.sh        # prints `export ...` lines, also in $FLEURON_CEPH_DIR/env
#   bash scripts/real-s3/ceph-stop.sh         # stops exactly what this started
#
# Everything (config, keyrings, mon store, logs, pid files) lives under
# ${FLEURON_CEPH_DIR:-/tmp/fleuron-ceph}, which is wiped at start. Object data lives in the
# OSD's memory (memstore) and is gone when the OSD stops.
# Installs the Debian packages ceph-mon ceph-osd radosgw ceph-common when missing (needs root).
#
# Settings (environment):
#   FLEURON_CEPH_DIR       state dir (default /tmp/fleuron-ceph)
#   FLEURON_CEPH_PORT      radosgw HTTP port, S3 API and website endpoint (default 7480)
#   FLEURON_CEPH_MON_PORT  monitor port, msgr v1 (default 16789, not Ceph's usual 6789/3300)
#   FLEURON_CEPH_OSD_BYTES memstore capacity in bytes (default 4 GiB; RAM is used as data is written)
#   FLEURON_CEPH_TIMEOUT   seconds to wait for each step (default 60)
# Exit status: 0 when the S3 API answers signed requests with the test keys; non-zero otherwise
# (with a message on stderr saying what failed: install, a daemon, or the S3 check).
set -euo pipefail

DIR="${FLEURON_CEPH_DIR:-/tmp/fleuron-ceph}"
PORT="${FLEURON_CEPH_PORT:-7480}"
MON_PORT="${FLEURON_CEPH_MON_PORT:-16789}"
OSD_BYTES="${FLEURON_CEPH_OSD_BYTES:-4294967296}"
TIMEOUT="${FLEURON_CEPH_TIMEOUT:-60}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Fixed test credentials. Throwaway cluster on loopback only; these are not secrets.
REGION="garage"
ACCESS_KEY="FLEURONTESTACCESSKEY"
SECRET_KEY="fleuron-test-secret-key-do-not-use-in-prod"
OTHER_ACCESS_KEY="FLEURONOTHERACCESSKY"
OTHER_SECRET_KEY="fleuron-other-secret-key-do-not-use-in-prod"
WEBSITE_SUFFIX="s3-website.localhost"

T0=$EPOCHREALTIME
WIPED=0
say() { awk -v a="$T0" -v b="$EPOCHREALTIME" -v m="$*" 'BEGIN { printf "[ceph-start %5.1fs] %s\n", b - a, m }' >&2; }
die() {
  {
    echo
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo "!! ceph-start: FAILED: $*"
    echo "!! The real-S3 test server (Ceph RGW) could not be started."
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  } >&2
  if [ "$WIPED" = 1 ] && [ -d "$DIR/log" ]; then
    for f in "$DIR"/log/*.log; do
      [ -s "$f" ] || continue
      echo "---- last lines of $f" >&2
      tail -n 15 "$f" >&2 || true
    done
    FLEURON_CEPH_DIR="$DIR" bash "$HERE/ceph-stop.sh" >&2 || true
  fi
  exit 1
}

case "$DIR" in
  "" | / | /tmp | /root | /home | /usr | /var | /etc) die "refusing to use FLEURON_CEPH_DIR=$DIR (it is wiped at start)" ;;
esac

# ---------------------------------------------------------------- install
BINS="ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool"
missing() { local b; for b in $BINS; do command -v "$b" >/dev/null 2>&1 || return 0; done; return 1; }

if missing; then
  [ "$(id -u)" = 0 ] || die "Ceph is not installed and this is not root: cannot apt-get install ceph-mon ceph-osd radosgw ceph-common"
  command -v apt-get >/dev/null 2>&1 || die "Ceph is not installed and there is no apt-get on this machine"
  say "installing Debian packages ceph-mon ceph-osd radosgw ceph-common (--no-install-recommends)"
  export DEBIAN_FRONTEND=noninteractive
  APT=(apt-get -q -y -o DPkg::Lock::Timeout=600)
  apt_update() {
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do  # another apt-get update may hold the lists lock
      "${APT[@]}" update >&2 && return 0
      say "apt-get update failed (try $i), retrying in 10 s"; sleep 10
    done
    return 1
  }
  if ! apt-cache show radosgw >/dev/null 2>&1; then apt_update || die "apt-get update failed (no package access?)"; fi
  if ! "${APT[@]}" install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common >&2; then
    say "install failed; running apt-get update and trying once more"
    apt_update || die "apt-get update failed (no package access?)"
    "${APT[@]}" install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common >&2 \
      || die "apt-get install ceph-mon ceph-osd radosgw ceph-common failed"
  fi
  missing && die "packages installed but one of these commands is still missing: $BINS"
  say "installed"
fi
command -v curl >/dev/null 2>&1 || die "curl is needed to check the S3 endpoint"

# ---------------------------------------------------------------- fresh state dir
if compgen -G "$DIR/pids/*.pid" >/dev/null; then
  say "stopping a previous cluster in $DIR"
  FLEURON_CEPH_DIR="$DIR" bash "$HERE/ceph-stop.sh" >&2 || true
fi
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$PORT" && die "port 127.0.0.1:$PORT is already in use (set FLEURON_CEPH_PORT)"
port_busy "$MON_PORT" && die "port 127.0.0.1:$MON_PORT is already in use (set FLEURON_CEPH_MON_PORT)"

rm -rf "$DIR"
WIPED=1
mkdir -p "$DIR"/{log,run,pids,mon,osd/ceph-0}
export CEPH_CONF="$DIR/ceph.conf"
FSID="$(cat /proc/sys/kernel/random/uuid)"

cat >"$CEPH_CONF" <<EOF
# Throwaway single-node test cluster made by fleuron's scripts/real-s3/ceph-start.sh
[global]
fsid = $FSID
mon initial members = a
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
# fast start: the monitor proposes changes almost at once
paxos propose interval = 0.05
paxos min wait = 0.01

[mon]
mon data = $DIR/mon/\$cluster-\$id

[osd]
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $OSD_BYTES

[client.rgw.a]
rgw realm = fleuron
rgw zonegroup = $REGION
rgw zone = $REGION
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw enable static website = true
rgw dns s3website name = $WEBSITE_SUFFIX
rgw thread pool size = 64
EOF

# ---------------------------------------------------------------- keys
say "making keyrings"
TMPK="$DIR/tmp-keyring"
ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$TMPK" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
ceph-authtool "$DIR/keyring" --import-keyring "$TMPK" >/dev/null
ceph-authtool --create-keyring "$TMPK" --gen-key -n osd.0 \
  --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
ceph-authtool "$DIR/keyring" --import-keyring "$TMPK" >/dev/null
ceph-authtool --create-keyring "$TMPK" --gen-key -n client.rgw.a \
  --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null
ceph-authtool "$DIR/keyring" --import-keyring "$TMPK" >/dev/null
rm -f "$TMPK"

# remember the PID a daemon wrote, for ceph-stop.sh (Ceph deletes its own pid file on exit)
record_pid() { # name pidfile
  local i
  for i in $(seq 1 $((TIMEOUT * 10))); do
    if [ -s "$2" ]; then cp "$2" "$DIR/pids/$1.pid"; return 0; fi
    sleep 0.1
  done
  die "$1 did not write its pid file $2"
}

# ---------------------------------------------------------------- monitor
say "starting monitor on 127.0.0.1:$MON_PORT"
monmaptool --create --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring" >"$DIR/log/mkfs-mon.log" 2>&1 \
  || die "ceph-mon --mkfs failed (see $DIR/log/mkfs-mon.log)"
ceph-mon -i a >"$DIR/log/mon.a.out" 2>&1 || die "ceph-mon did not start"
record_pid mon.a "$DIR/run/mon.a.pid"

# ---------------------------------------------------------------- OSD
say "creating osd.0 (memstore)"
OSD_ID="$(timeout "$TIMEOUT" ceph --connect-timeout "$TIMEOUT" osd create 2>>"$DIR/log/cli.log")" \
  || die "the monitor did not answer 'ceph osd create'"
[ "$OSD_ID" = 0 ] || die "expected osd id 0, got '$OSD_ID'"
ceph-osd -i 0 --mkfs >"$DIR/log/mkfs-osd.log" 2>&1 || die "ceph-osd --mkfs failed (see $DIR/log/mkfs-osd.log)"
ceph-osd -i 0 >"$DIR/log/osd.0.out" 2>&1 || die "ceph-osd did not start"
record_pid osd.0 "$DIR/run/osd.0.pid"
say "waiting for osd.0 to be up"
for i in $(seq 1 $((TIMEOUT * 10))); do
  if timeout 10 ceph osd dump 2>>"$DIR/log/cli.log" | grep -q '^osd\.0 up'; then break; fi
  [ "$i" = $((TIMEOUT * 10)) ] && die "osd.0 not up after ${TIMEOUT}s"
  sleep 0.1
done

# ---------------------------------------------------------------- radosgw
# The zonegroup's S3 name (api_name) must be the region: the AWS SDK for JS sends CreateBucket
# with LocationConstraint=<region> when the region is not us-east-1, and RGW refuses a constraint
# that differs from the zonegroup's api_name (InvalidLocationConstraint). Garage's region is
# 'garage'. An api_name other than the default needs an explicit realm/zonegroup/zone.
say "creating realm 'fleuron', zonegroup and zone '$REGION'"
{
  radosgw-admin realm create --rgw-realm=fleuron --default &&
  radosgw-admin zonegroup create --rgw-zonegroup="$REGION" --api-name="$REGION" \
    --endpoints="http://127.0.0.1:$PORT" --master --default &&
  radosgw-admin zone create --rgw-zonegroup="$REGION" --rgw-zone="$REGION" \
    --endpoints="http://127.0.0.1:$PORT" --master --default &&
  radosgw-admin period update --commit
} >"$DIR/log/zone-setup.json" 2>>"$DIR/log/cli.log" || die "radosgw-admin realm/zonegroup/zone setup failed"
say "starting radosgw on 127.0.0.1:$PORT"
radosgw -n client.rgw.a >"$DIR/log/rgw.a.out" 2>&1 || die "radosgw did not start"
record_pid client.rgw.a "$DIR/run/client.rgw.a.pid"
for i in $(seq 1 $((TIMEOUT * 10))); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/" || true)"
  [ "$code" = 200 ] && break
  [ "$i" = $((TIMEOUT * 10)) ] && die "radosgw did not answer on 127.0.0.1:$PORT after ${TIMEOUT}s"
  sleep 0.1
done

say "creating S3 users"
radosgw-admin user create --uid=fleuron-test --display-name="fleuron test" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$DIR/log/user-create.json" 2>>"$DIR/log/cli.log" \
  || die "radosgw-admin user create failed"
radosgw-admin user create --uid=fleuron-other --display-name="fleuron other user" \
  --access-key="$OTHER_ACCESS_KEY" --secret-key="$OTHER_SECRET_KEY" >>"$DIR/log/user-create.json" 2>>"$DIR/log/cli.log" \
  || die "radosgw-admin user create (second user) failed"

# A signed ListBuckets with the test key and region 'garage' must succeed. (curl 7.88 does not add
# x-amz-content-sha256 itself, and RGW computes the signature as if it were sent: send it.)
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
for i in $(seq 1 $((TIMEOUT * 10))); do
  code="$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ACCESS_KEY:$SECRET_KEY" -H "x-amz-content-sha256: $EMPTY_SHA256" "http://127.0.0.1:$PORT/" || true)"
  [ "$code" = 200 ] && break
  [ "$i" = $((TIMEOUT * 10)) ] && die "signed ListBuckets with the test key answered $code"
  sleep 0.1
done

cat >"$DIR/env" <<EOF
export FLEURON_TEST_S3_KIND=ceph
export FLEURON_TEST_S3_ENDPOINT=http://127.0.0.1:$PORT
export FLEURON_TEST_S3_REGION=$REGION
export FLEURON_TEST_S3_ACCESS_KEY_ID=$ACCESS_KEY
export FLEURON_TEST_S3_SECRET_ACCESS_KEY=$SECRET_KEY
export FLEURON_TEST_S3_WEBSITE_ENDPOINT=http://127.0.0.1:$PORT
export FLEURON_TEST_S3_WEBSITE_HOST_SUFFIX=$WEBSITE_SUFFIX
export FLEURON_TEST_S3_PUBLIC_POLICY=1
export FLEURON_TEST_S3_OTHER_ACCESS_KEY_ID=$OTHER_ACCESS_KEY
export FLEURON_TEST_S3_OTHER_SECRET_ACCESS_KEY=$OTHER_SECRET_KEY
EOF
say "ready: S3 API and website endpoint on http://127.0.0.1:$PORT (state in $DIR)"
cat "$DIR/env"
