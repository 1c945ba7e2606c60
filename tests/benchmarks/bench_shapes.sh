#!/usr/bin/env bash
# Generation shapes of a real iteration on the ~100M model (docs/GENERATION.md, "Measuring it"): static batching (the
# engine before continuous batching) vs continuous batching with shared prefixes, on the same random weights, requests
# and batch size. `bench` runs the two back to back in every repetition, so background load hits both alike, and
# prints each repetition's ratio (ratio_cpu_runs, ratio_wall_runs) besides the medians. Appends every JSON line to
# $OUT and prints a table. Usage: [OUT=file.jsonl] [REPEATS=3] [PARALLEL=1] bench_shapes.sh   (needs: dotnet build workers/MetaRewarding.Worker -c Release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
exe="${EXE:-$repo/workers/MetaRewarding.Worker/bin/Release/net10.0/linux-x64/metarewarding}"
OUT="${OUT:-/tmp/metarewarding-bench-shapes.jsonl}"
repeats="${REPEATS:-3}"
# mode batch extra-args. actor: prompt 64, K = 7, completions of mean 128 (cap 256); judge: shared prompt 768, N = 11,
# mean 150 (cap 250); meta-judge: shared part 512 + two judgments of 128, 22 battles, mean 100 (cap 250).
configs=(
  "judge 11 --prompt 96 --new-tokens 250 --groups 2"
  "actor 8 --prompt 64 --new-tokens 256 --groups 2"
  "meta-judge 11 --prompt 64 --new-tokens 250 --groups 1"
)
# PARALLEL=1 runs the three shapes at once (each still alternates its own two sides): on a machine already loaded by
# others it gets the figures in a third of the wall time, at the cost of more contention.
for c in "${configs[@]}"; do
  read -r mode batch rest <<<"$c"
  if [[ "${PARALLEL:-0}" == 1 ]]; then
    "$exe" bench --size 100m --mode "$mode" --batch "$batch" --threads 2 --warmup 0 --repeats "$repeats" $rest >>"$OUT" &
  else
    "$exe" bench --size 100m --mode "$mode" --batch "$batch" --threads 2 --warmup 0 --repeats "$repeats" $rest | tee -a "$OUT"
  fi
done
wait
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
print(f"{'mode':10} {'batch':>5} {'requests':>8} {'prompt tok':>10} {'new tok':>7} | {'CPU ratio (median, runs)':>28} | {'wall ratio (median, runs)':>28} | {'static / continuous tok/s (wall)':>32} | load")
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "ratio_cpu" not in r: continue
    print(f"{r['mode']:10} {r['batch']:>5} {r['requests']:>8} {r['prompt_tokens']:>10} {r['completion_tokens']:>7} | "
          f"{r['ratio_cpu']:>5} {str(r['ratio_cpu_runs']):>22} | {r['ratio_wall']:>5} {str(r['ratio_wall_runs']):>22} | "
          f"{r['static_tokens_per_s']:>14} / {r['tokens_per_s']:<15} | {r['load_average']}")
PY
