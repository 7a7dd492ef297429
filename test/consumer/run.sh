#!/usr/bin/env bash
# The package as a user gets it (run by .ci/run after the README's Set-up block):
# - `npm run pack` makes the tarball with the published manifest (no scripts);
# - a plain `npm install` of it into an empty project: no .npmrc, no flags, and no install script
#   of infomem's for the consumer's npm to flag;
# - the installed CLI analyses the bundled demo file; the browser app ships built;
# - a TypeScript consumer (test/consumer/index.ts) type-checks with skipLibCheck false;
# - the line printed for a missing optional package, followed as printed, installs it here (where
#   only the npm registry is reachable), and the command then runs an ONNX model.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
pack=$(mktemp -d)
consumer=$(mktemp -d)
trap 'rm -rf "$pack" "$consumer"' EXIT
tgz=$(cd "$repo" && npm run --silent pack -- --out "$pack" | tail -1)
cd "$consumer"
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund "$tgz" 2>&1 | tee install.log
if grep -q 'install-scripts.*infomem@' install.log; then echo "consumer: npm flags an install script of infomem's" >&2; exit 1; fi
npx --no-install infomem analyze node_modules/infomem/data/demo/mlp-circles.npz --out demo --quiet
test -s demo/results.json
test -s node_modules/infomem/dist/web/index.html
test -s node_modules/infomem/dist/web/app.js
echo "consumer: $(du -sh node_modules | cut -f1) in node_modules; infomem analyze on the demo file: ok"

cp "$repo/test/consumer/index.ts" "$repo/test/consumer/tsconfig.json" .
node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json
echo "consumer: type-checks with skipLibCheck false: ok"

# The missing-package line, followed as printed.
model="$repo/test/fixtures/models/torch-mlp/model.onnx"
node -e "
const h = \"{'descr': '<f4', 'fortran_order': False, 'shape': (20, 4), }\";
const head = h + ' '.repeat(64 - ((10 + h.length + 1) % 64)) + '\\n';
const x = Float32Array.from({ length: 80 }, (_, i) => Math.sin(i));
const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 255, head.length >> 8]);
require('fs').writeFileSync('x.npy', Buffer.concat([pre, Buffer.from(head, 'latin1'), Buffer.from(x.buffer)]));
"
set +e
npx --no-install infomem extract --model "$model" --inputs x.npy --out acts.npz 2> missing.log
code=$?
set -e
cat missing.log
[ "$code" = 2 ] || { echo "consumer: extract without onnxruntime-node exited $code, not 2" >&2; exit 1; }
hint=$(grep -o 'run npm install [^()]*' missing.log | sed 's/^run //; s/[[:space:]]*$//')
[ -n "$hint" ] || { echo "consumer: no install line in the message" >&2; exit 1; }
echo "consumer: following the line: $hint"
$hint --no-audit --no-fund
npx --no-install infomem extract --model "$model" --inputs x.npy --out acts.npz
test -s acts.npz
echo "consumer: the missing-package line installs onnxruntime-node here and extract runs: ok"
