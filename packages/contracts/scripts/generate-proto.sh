#!/usr/bin/env bash
# Regenerates packages/contracts/src/generated/proto from proto/ with the buf binary and the ts-proto plugin
# installed in this package (no network, no remote plugins). `buf generate` never deletes files, so the
# output folder is emptied first: a removed .proto must not leave its TypeScript behind.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
buf="$root/packages/contracts/node_modules/.bin/buf"
cd "$root"
"$buf" lint proto
rm -rf packages/contracts/src/generated/proto
"$buf" generate --template proto/buf.gen.yaml "$@"
echo "proto TypeScript written to packages/contracts/src/generated/proto"
