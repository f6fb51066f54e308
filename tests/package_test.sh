#!/usr/bin/env bash
# Builds the Debian package (cpack), installs it on this machine with dpkg,
# runs the systemd unit's own commands (ExecStartPre, ExecStart) as the
# unit's user against the built-in simulator, then purges the package and
# checks nothing is left. Needs root; scripts/test.sh runs it after ctest.
# (systemd itself is not running in a build container, so the unit's
# sandboxing options are not exercised here; its commands, user and state
# directory are.)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

if [ "$(id -u)" -ne 0 ]; then
  echo "package_test: SKIPPED: installing a package needs root" >&2
  exit 0
fi
if dpkg-query -W -f='${Status}' modelwatch 2>/dev/null | grep -q "install ok installed"; then
  echo "package_test: a modelwatch package is already installed here; not touching it" >&2
  exit 1
fi

fail() { echo "package_test: FAILED: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log" >&2; fail "cpack"; }
deb=$(ls -t "$build"/modelwatch_*.deb | head -n 1)
echo "package_test: $deb"

sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  dpkg -P modelwatch >/dev/null 2>&1 || true
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null || fail "dpkg -i"
[ -x /usr/bin/modelwatch ] || fail "no /usr/bin/modelwatch"
/usr/bin/modelwatch --version | grep -q "modelwatch" || fail "--version"
unit=$(ls /usr/lib/systemd/system/modelwatch.service /lib/systemd/system/modelwatch.service \
  2>/dev/null | head -n 1)
[ -n "$unit" ] || fail "no systemd unit installed"
[ -f /etc/modelwatch/modelwatch.yaml ] || fail "no /etc/modelwatch/modelwatch.yaml"
grep -qx /etc/modelwatch/modelwatch.yaml /var/lib/dpkg/info/modelwatch.conffiles ||
  fail "the config is not a conffile"
getent passwd modelwatch >/dev/null || fail "no modelwatch user"
[ "$(stat -c %U /var/lib/modelwatch)" = modelwatch ] || fail "/var/lib/modelwatch not owned by modelwatch"
[ "$(stat -c %a /etc/modelwatch/modelwatch.env)" = 640 ] || fail "modelwatch.env is not 0640"

user=$(sed -n 's/^User=//p' "$unit")
pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
[ "$user" = modelwatch ] || fail "the unit runs as '$user'"

# A person edits the conffile and puts the keys in the env file; here both
# point at the simulator.
# The simulator picks a free port and says which.
/usr/bin/modelwatch simulate --listen 127.0.0.1:0 \
  --scenario examples/scenarios/all-ok.yaml >"$build/package_test_sim.log" 2>&1 &
sim_pid=$!
port=""
for _ in $(seq 1 50); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$build/package_test_sim.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$build/package_test_sim.log" >&2; fail "the simulator did not start"; }
cat >/etc/modelwatch/modelwatch.yaml <<YAML
providers:
  google: {base_url: "http://127.0.0.1:$port", api_key: "\${GEMINI_API_KEY}"}
storage: {sqlite: /var/lib/modelwatch/modelwatch.db}
web: {listen: "127.0.0.1:0"}
monitors:
  - {name: nano-banana-pro, kind: gemini, provider: google, model: gemini-3-pro-image, interval: 2s}
YAML
echo "GEMINI_API_KEY=package-test-key-0123456789" >/etc/modelwatch/modelwatch.env

# The unit's environment: its user, its EnvironmentFile, its WorkingDirectory.
# Run in a subshell of its own (backgrounded, or in parentheses): it execs.
runas() {
  cd /var/lib/modelwatch && set -a && . /etc/modelwatch/modelwatch.env && set +a &&
    exec setpriv --reuid=modelwatch --regid=modelwatch --init-groups -- "$@"
}
# shellcheck disable=SC2086
(runas $pre) >/dev/null || fail "ExecStartPre ($pre)"
# shellcheck disable=SC2086
runas $start >"$build/package_test_run.log" 2>&1 &
run_pid=$!
ok=""
for _ in $(seq 1 50); do
  sleep 0.2
  # The dashboard picks a free port; the start line says which.
  web=$(sed -n 's/.*"event":"start".*"web":"\(http:[^"]*\)".*/\1/p' "$build/package_test_run.log")
  [ -n "$web" ] || continue
  if curl -fsS "$web/api/v1/monitors/nano-banana-pro" 2>/dev/null |
      grep -q '"success"'; then
    ok=1
    break
  fi
done
kill -TERM "$run_pid" 2>/dev/null || true
wait "$run_pid" || true
[ -n "$ok" ] || { cat "$build/package_test_run.log" >&2; fail "no successful check seen by the dashboard"; }
[ "$(stat -c %U /var/lib/modelwatch/modelwatch.db)" = modelwatch ] || fail "database not owned by modelwatch"
grep -q "package-test-key-0123456789" "$build/package_test_run.log" && fail "the key reached the log"

dpkg -r modelwatch >/dev/null || fail "dpkg -r"
[ -e /usr/bin/modelwatch ] && fail "dpkg -r left /usr/bin/modelwatch"
[ -d /var/lib/modelwatch ] || fail "dpkg -r removed the data (only purge may)"
dpkg -P modelwatch >/dev/null || fail "dpkg -P"
[ -e /var/lib/modelwatch ] && fail "purge left /var/lib/modelwatch"
[ -e /etc/modelwatch ] && fail "purge left /etc/modelwatch"
getent passwd modelwatch >/dev/null && fail "purge left the modelwatch user"
trap - EXIT
kill "$sim_pid" 2>/dev/null || true
echo "package_test: installed, ran the unit's commands, removed and purged cleanly"
