#!/usr/bin/env bash
# Installs every Debian package and npm test dependency Stratus needs.
# Idempotent: when everything is present it only checks and returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libssl-dev
  libpugixml-dev libzip-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # test clients and load tools
  awscli python3-boto3 curl wrk
  # aws-lambda-ric's native half, built by `npm ci` (bundled curl + aws-lambda-cpp, node-gyp)
  autoconf automake libtool python3
)

missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js (with npm) is on the machines already (NodeSource build); Debian's nodejs conflicts with it.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm test dependencies (tests/e2e/package.json, pinned by its lockfile)
if [ -f tests/e2e/package.json ]; then
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    echo "deps: npm ci in tests/e2e"
    # node-gyp (aws-lambda-ric's native half) must use the installed Node headers: nodejs.org,
    # where it would otherwise download them, is not reachable from every machine.
    [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
