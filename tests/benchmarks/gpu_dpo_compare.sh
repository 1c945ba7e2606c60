#!/usr/bin/env bash
# The GPU proof of issue 9: a Llama-3-8B-shaped model (random weights, the real config) trained with DPO steps by
# `metarewarding bench --mode dpo` and by PyTorch (+ PEFT) on the same card, side by side: LoRA (rank 16, bf16 base)
# and full fine-tuning (bf16 compute, fp32 master weights and moments, activation checkpointing). Peak device memory
# is the most nvidia-smi reported for the device while each run was alive (both sides measured the same way; the
# PyTorch line also carries torch.cuda's own peaks), step time the median of the timed steps.
#
# GPU machine (no .NET there; see ../shared/gpu/README.md), from the repository root:
#   ../shared/gpu/publish.sh workers/MetaRewarding.Worker      # here, packs .gpu/app.tgz + .gpu/env.sh
#   tests/benchmarks/gpu_dpo_compare.sh                        # there, with .gpu/ carried; results under $OUT
# CPU path (checks the script on a tiny model, no GPU): CPU=1 tests/benchmarks/gpu_dpo_compare.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
if [ "${CPU:-0}" = 1 ]; then
  app=(dotnet workers/MetaRewarding.Worker/bin/Release/net10.0/linux-x64/metarewarding.dll)
  size=3m; device=cpu; lora_shape=(--batch 2 --seq 64); full_shape=(--batch 2 --seq 64)
else
  d=$(mktemp -d) && tar xzf .gpu/app.tgz -C "$d" && source .gpu/env.sh
  app=("$d/metarewarding")
  size=llama-3-8b; device=cuda; lora_shape=(--batch 4 --seq 1024); full_shape=(--batch 2 --seq 1024)
fi

# Runs "$@" while sampling the device's used memory every 100 ms; prints the command's JSON line with the peak added.
measure() {
  local log="$out/poll.$$"
  : > "$log"
  if command -v nvidia-smi > /dev/null && [ "$device" = cuda ]; then
    (while true; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1 >> "$log"; sleep 0.1; done) &
    local poller=$!
  fi
  local line
  line=$("$@" | tail -1)
  [ -n "${poller:-}" ] && kill "$poller" 2> /dev/null && wait "$poller" 2> /dev/null || true
  local peak
  peak=$(sort -n "$log" | tail -1)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["nvidia_smi_peak_mb"]=(float(sys.argv[2]) if sys.argv[2] else None); print(json.dumps(d))' "$line" "${peak:-}"
}

have_reference=1
python3 -c 'import torch, transformers, peft' 2> /dev/null || have_reference=0
results="$out/gpu_dpo_results.jsonl"
: > "$results"
for run in lora full; do
  if [ $run = lora ]; then ours=(--lora 16 "${lora_shape[@]}"); theirs=(--lora 16 "${lora_shape[@]}");
  else ours=(--checkpointing "${full_shape[@]}"); theirs=(--checkpointing "${full_shape[@]}"); fi
  measure "${app[@]}" bench --mode dpo --size $size --device $device --dtype bfloat16 --warmup 1 --repeats 3 "${ours[@]}" | tee -a "$results"
  if [ $have_reference = 1 ]; then
    measure python3 tests/benchmarks/gpu_dpo_reference.py --size $size --device $device --warmup 1 --repeats 3 "${theirs[@]}" | tee -a "$results"
  else
    echo "{\"impl\": \"pytorch\", \"skipped\": \"python3 has no torch/transformers/peft here\", \"lora_rank\": $([ $run = lora ] && echo 16 || echo 0)}" | tee -a "$results"
  fi
done

python3 - "$results" << 'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| run | impl | batch × seq | median step s | tokens/s | peak device MB (nvidia-smi) | trainable params |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    run = "LoRA r16" if r.get("lora_rank") else "full FT + checkpointing + fp32 masters"
    print(f"| {run} | {r.get('impl')} | {r.get('batch', '')} × {r.get('seq', '')} | {r.get('median_s', r.get('skipped', ''))} | "
          f"{r.get('tokens_per_s', '')} | {r.get('nvidia_smi_peak_mb', '')} | {r.get('trainable_parameters', '')} |")
PY
echo "results: $results"
