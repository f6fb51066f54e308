#!/usr/bin/env bash
# Installs the Debian 12 packages modelwatch builds and tests with, skipping
# those already present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev libyaml-dev nlohmann-json3-dev libsimdjson-dev libfmt-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libcli11-dev libcpp-httplib-dev libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libabsl-dev libssl-dev libpugixml-dev
  clang libclang-rt-14-dev
  prometheus chromium
  ca-certificates curl
  python3-aiosmtpd
  prometheus-alertmanager
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
