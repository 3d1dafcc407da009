#!/usr/bin/env bash
# On the GPU machine: stage the last parts, wait for the install, convert the model, start
# `vllm serve` with flags rendered from the routing file's `gpu` profile, run checks.py.
# Usage (repo root = the studio checkout, code in CODE): run_smoke.sh PARTS_DIR OUT_DIR
# On a GPU host with network, skip the payload: `pip install vllm==0.23.0`, convert the GGUF
# with convert_gguf.py, set SMOKE_NO_PAYLOAD=1 and run the same script.
set -uo pipefail
PARTS=$(cd "$1" && pwd); OUT=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd); CODE=$(cd "$HERE/../../.." && pwd)
cd "$CODE"  # python3 puts the working directory first on sys.path: use this checkout's code
STATE=${SMOKE_STATE:-/tmp/gpu-smoke}; SITE=/tmp/site
WEIGHTS=${STUDIO_GPU_SMOKE_WEIGHTS:-/tmp/smollm2-135m-instruct}
export STUDIO_VLLM_API_KEY=${STUDIO_VLLM_API_KEY:-smoke-$RANDOM$RANDOM}
export VLLM_USE_FLASHINFER_SAMPLER=0 PYTHONUNBUFFERED=1 STUDIO_GPU_SMOKE_WEIGHTS=$WEIGHTS
if [ -z "${SMOKE_NO_PAYLOAD:-}" ]; then
  python3 "$HERE/stage.py" "$PARTS" "$STATE" || exit 1
  for _ in $(seq 240); do [ -e "$STATE/installed" ] && break; sleep 1; done
  cat "$STATE/install.log"; [ -e "$STATE/installed" ] || { echo "install did not finish"; exit 1; }
  cp -r "$HERE/humming" "$SITE/"  # vLLM imports humming-kernels while listing quantizations
  # `pip install --target --upgrade` replaces bin/: write the `vllm` entry point ourselves.
  mkdir -p "$SITE/bin"
  printf '#!/bin/sh\nexec python3 -m vllm.entrypoints.cli.main "$@"\n' > "$SITE/bin/vllm"
  chmod +x "$SITE/bin/vllm"
  export PYTHONPATH=$SITE:$CODE PATH=$SITE/bin:$PATH
else
  export PYTHONPATH=$CODE:${PYTHONPATH:-}
fi
[ -e "$WEIGHTS/config.json" ] || python3 "$HERE/convert_gguf.py" "$STATE/files/model.gguf" "$WEIGHTS" || exit 1
python3 - > "$OUT/launch.sh" <<'PY' || exit 1
from inference.routing import load_routing
from inference.vllm import check_fit, render_script, services
service = services(load_routing("gpu").model_list)[0]
check_fit(service)
print(render_script(service), end="")
PY
cat "$OUT/launch.sh"
T0=$(date +%s)
setsid bash "$OUT/launch.sh" > "$OUT/vllm.log" 2>&1 &
PID=$!
URL=$(python3 -c 'from inference.routing import load_routing; print(load_routing("gpu").deployments("reasoning")[0].health_url)')
for _ in $(seq 300); do
  curl -sf "$URL" >/dev/null && break
  kill -0 $PID 2>/dev/null || { echo "vllm exited"; tail -60 "$OUT/vllm.log"; exit 1; }
  sleep 1
done
echo "health after $(( $(date +%s) - T0 )) s" | tee "$OUT/startup.txt"
python3 "$HERE/checks.py" --log "$OUT/vllm.log" --launch "$OUT/launch.sh" --out "$OUT/gpu-smoke.json" --weights "$WEIGHTS"
kill -- -$PID 2>/dev/null; sleep 2
sed -i "s/$STUDIO_VLLM_API_KEY/REDACTED/g" "$OUT/vllm.log"  # vLLM logs its arguments
grep -E "KV cache|concurrency|backend|took|ERROR|Error" "$OUT/vllm.log" | head -40
