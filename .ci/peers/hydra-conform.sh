#!/usr/bin/env bash
# xaa conform against Ory Hydra v2.3.0, an OAuth 2.0 server xaa did not
# write that implements the RFC 7523 jwt-bearer grant (fosite's handler).
# Builds hydra from the Go module proxy (pinned with checksums in
# hydra/go.mod and go.sum, with SQLite for its in-memory DSN; cached in
# $XAA_HYDRA_BIN, default ~/.cache/xaa-ci/hydra-v2.3.0), then runs
# hydra-conform-scenario.mjs, which starts it on loopback, configures the
# trust and the client through its admin API and checks the scorecard.
# Usage (Node from .ci/peers' node_modules, after npm ci):
#   .ci/peers/hydra-conform.sh XAA_BINARY
# Locally: cd .ci/peers && npm ci --ignore-scripts && PATH=$PWD/node_modules/.bin:$PATH ./hydra-conform.sh ../../xaa
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
xaa=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
hydra=${XAA_HYDRA_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/xaa-ci/hydra-v2.3.0}
if [ ! -x "$hydra" ]; then
  echo "peers: building Ory Hydra v2.3.0 (go build -tags sqlite) into $hydra"
  start=$SECONDS
  mkdir -p "$(dirname "$hydra")"
  (cd "$here/hydra" && CGO_ENABLED=1 go build -trimpath -tags sqlite,sqlite_omit_load_extension -o "$hydra.tmp" github.com/ory/hydra/v2)
  mv "$hydra.tmp" "$hydra"
  echo "peers: hydra built in $((SECONDS - start)) s"
fi
node "$here/hydra-conform-scenario.mjs" "$xaa" "$hydra"
