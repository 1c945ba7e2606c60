#!/usr/bin/env bash
# The GPU proof of issue 9: a Llama-3-8B-shaped model (random weights, the real config) trained with DPO steps by
# `metarewarding bench --mode dpo` and by PyTorch (+ PEFT) on the same card, side by side: LoRA (rank 16, bf16 base)
# and full fine-tuning (bf16 compute, fp32 master weights and moments, activation checkpointing). Peak device memory
# is the most nvidia-smi reported for the device while each run was alive (both sides measured the same way; the
# PyTorch line also carries torch.cuda's own peaks), step time the median of the timed steps.
#
# On a GPU machine with PyTorch (+ PEFT), from the repository root. TorchSharp there uses PyTorch's own CUDA libtorch
# (the script puts it on LD_LIBRARY_PATH), so the worker is published without its CPU libtorch. Where the GPU
# machine has no .NET, publish on a build machine and carry the pack:
#   dotnet publish workers/MetaRewarding.Worker -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o /tmp/app
#   find /tmp/app \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' \) -delete
#   mkdir -p .gpu && tar czf .gpu/app.tgz -C /tmp/app .
#   tests/benchmarks/gpu_dpo_compare.sh                        # on the GPU machine; results under $OUT
# Without .gpu/app.tgz it runs APP=/tmp/app/metarewarding (published as above: a build that carries its CPU libtorch
# would load that one and see no GPU).
# CPU path (checks the script on a tiny model, no GPU): CPU=1 tests/benchmarks/gpu_dpo_compare.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
if [ "${CPU:-0}" = 1 ]; then
  app=(dotnet workers/MetaRewarding.Worker/bin/Release/net10.0/linux-x64/metarewarding.dll)
  size=3m; device=cpu; lora_shape=(--batch 2 --seq 64); full_shape=(--batch 2 --seq 64)
else
  torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
  export LD_LIBRARY_PATH="$torch_lib:${LD_LIBRARY_PATH:-}"
  if [ -f .gpu/app.tgz ]; then
    d=$(mktemp -d) && tar xzf .gpu/app.tgz -C "$d"
    app=("$d/metarewarding")
  else
    app=("${APP:?no .gpu/app.tgz: set APP to a metarewarding published without libtorch (see the header)}")
  fi
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
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
