#!/usr/bin/env bash
# Here, after build_payload.py: copy the code the GPU machine needs (the studio client, the
# tasks it exercises, the routing file, these scripts) into CARRY/code. The device tool sends
# the session's own checkout plus ignored folders named in `carry`, so a worktree's changes
# only travel this way. Usage: prepare_carry.sh [CARRY] (default: <checkout>/.gpu-smoke).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
CARRY=${1:-$SRC/.gpu-smoke}
D=$CARRY/code
rm -rf "$D"; mkdir -p "$D/deployments/vllm" "$D/deployments/compose"
cd "$SRC"
cp -r inference core tasks prompts sandbox "$D/"
cp deployments/inference.yaml "$D/deployments/"
cp -r deployments/compose/grafana "$D/deployments/compose/"
cp -r deployments/vllm/gpu-smoke "$D/deployments/vllm/"
find "$D" -name __pycache__ -prune -exec rm -rf {} +
du -sh "$D"
