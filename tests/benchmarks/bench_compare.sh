#!/usr/bin/env bash
# Runs `metarewarding bench` and bench_reference_torch.py on the same configurations, alternating the two sides
# (so background load hits both alike), appends every JSON line to $OUT, and prints TorchSharp / PyTorch ratios.
# Usage: [SIZES="3m 100m"] [OUT=file.jsonl] bench_compare.sh [ROUNDS]   (needs: dotnet build workers/MetaRewarding.Worker -c Release;
#        apt-get install python3-torch libopenblas0-pthread)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
exe="$repo/workers/MetaRewarding.Worker/bin/Release/net10.0/linux-x64/metarewarding"
rounds="${1:-1}"
OUT="${OUT:-/tmp/metarewarding-bench.jsonl}"
# size mode batch extra-args (training: seq 128; generation: prompt 32 + 64 new tokens)
configs=(
  "3m train 8 --repeats 5"
  "3m train 32 --repeats 5"
  "3m generate 8 --repeats 5"
  "3m generate 32 --repeats 5"
  "100m train 8 --repeats 3"
  "100m train 32 --repeats 3"
  "100m generate 8 --repeats 3"
  "100m generate 32 --repeats 3"
  "100m train 8 --seq 512 --repeats 1"
)
for ((r = 0; r < rounds; r++)); do
  for c in "${configs[@]}"; do
    read -r size mode batch rest <<<"$c"
    [[ " ${SIZES:-3m 100m} " == *" $size "* ]] || continue
    args=(--size "$size" --mode "$mode" --batch "$batch" --threads 2 $rest)
    "$exe" bench "${args[@]}" | tee -a "$OUT"
    /usr/bin/python3 "$here/bench_reference_torch.py" "${args[@]}" | tee -a "$OUT"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r = json.loads(line); side = "cs" if r["impl"] == "torchsharp" else "py"
    rows[(r["size"], r["mode"], r["batch"], r["seq"])].setdefault(side, []).append(r)
def tps(r): return r["tokens_per_s"] * r["median_s"] / min(r["times_s"])  # tokens/s of the fastest run
print(f"{'size':5} {'mode':8} {'batch':>5} {'seq':>4} | {'median tok/s: TorchSharp':>24} {'PyTorch':>8} {'ratio':>5} | {'best-run tok/s: TorchSharp':>26} {'PyTorch':>8} {'ratio':>5} | peak RSS MB cs/py")
for k, v in sorted(rows.items()):
    if "cs" in v and "py" in v:
        cs = max(r["tokens_per_s"] for r in v["cs"]); py = max(r["tokens_per_s"] for r in v["py"])
        bcs = max(tps(r) for r in v["cs"]); bpy = max(tps(r) for r in v["py"])
        rss = f'{max(r["peak_rss_mb"] for r in v["cs"]):.0f}/{max(r["peak_rss_mb"] for r in v["py"]):.0f}'
        print(f"{k[0]:5} {k[1]:8} {k[2]:>5} {k[3]:>4} | {cs:>24.1f} {py:>8.1f} {cs / py:>5.2f} | {bcs:>26.1f} {bpy:>8.1f} {bcs / bpy:>5.2f} | {rss}")
PY
