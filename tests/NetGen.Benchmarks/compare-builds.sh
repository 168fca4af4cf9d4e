#!/usr/bin/env bash
# Runs W1–W4 of tests/NetGen.Benchmarks on two builds of NetGen in one run, alternating between them so that both
# columns share the machine's quiet and noisy phases, then times the MNIST sample on both.
#
#   tests/NetGen.Benchmarks/compare-builds.sh BASE [ROUNDS]
#
# BASE is the commit to compare with (built aside in a temporary worktree); the other build is this working tree.
# Each round runs the single-thread inference workloads (W2, W3, W4) with the default settings and again with
# DOTNET_EnableAVX512=0 (the 8-lane, 16-register code an AVX2 processor runs); W1 runs once per build with its own
# jobs (default, AVX2, 16-lane Vector<T>) and thread settings. Prints one line per workload, job and build: the
# BenchmarkDotNet median of each round.
set -euo pipefail
base=$1
rounds=${2:-2}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null
for tree in "$work/base" "$root"; do
  dotnet build "$tree/tests/NetGen.Benchmarks" -c Release -v quiet -nologo >/dev/null
  dotnet build "$tree/samples/Mnist" -c Release -v quiet -nologo >/dev/null
done

bench() { # bench TREE LABEL ARTIFACTS FILTER... : one BenchmarkDotNet run, its CSV report kept under ARTIFACTS
  local tree=$1 label=$2 artifacts=$3; shift 3
  (cd "$tree" && dotnet run -c Release --no-build --project tests/NetGen.Benchmarks -- \
     --filter "$@" --artifacts "$artifacts" --exporters csv >"$artifacts.log" 2>&1) || { echo "$label failed, see $artifacts.log"; return 1; }
}

inference=('*InferenceBenchmarks.W2NetGen' '*InferenceBenchmarks.W3NetGen' '*InferenceBenchmarks.W4NetGen')
for round in $(seq 1 "$rounds"); do
  for build in base head; do
    tree=$([ $build = base ] && echo "$work/base" || echo "$root")
    bench "$tree" "$build default" "$work/$build-default-$round" "${inference[@]}"
    DOTNET_EnableAVX512=0 bench "$tree" "$build AVX2" "$work/$build-avx2-$round" "${inference[@]}"
  done
done

for build in base head; do
  tree=$([ $build = base ] && echo "$work/base" || echo "$root")
  bench "$tree" "$build W1" "$work/$build-w1-1" '*.TrainingBenchmarks.*'
done

# MNIST sample wall time, alternating, after a first run that fetches the data if needed.
(cd "$root" && dotnet run --project samples/Mnist -c Release --no-build >/dev/null 2>&1) || true
for round in $(seq 1 "$rounds"); do
  for build in base head; do
    tree=$([ $build = base ] && echo "$work/base" || echo "$root")
    start=$(date +%s.%N)
    accuracy=$(cd "$tree" && dotnet run --project samples/Mnist -c Release --no-build 2>&1 | grep -o 'test accuracy: [0-9.]*%' | tail -1)
    echo "MNIST sample | $build | round $round | $(echo "$(date +%s.%N) - $start" | bc) s | $accuracy"
  done
done

python3 - "$work" <<'PY'
import csv, glob, os, sys
work = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(work, '*', 'results', '*-report.csv'))):
    run = os.path.relpath(path, work).split(os.sep)[0]          # e.g. head-avx2-2
    build, setting, round_ = run.split('-')
    with open(path, newline='') as f:
        for r in csv.DictReader(f):
            job = r.get('Job', '') if setting == 'w1' else setting
            params = r.get('Threads', '')
            key = (r['Method'], job, params)
            rows.setdefault(key, {}).setdefault(build, []).append(r['Median'])
for (method, job, params), builds in sorted(rows.items()):
    label = f"{method} [{job}{', ' + params if params else ''}]"
    print(f"{label} | base {' / '.join(builds.get('base', []))} | head {' / '.join(builds.get('head', []))}")
PY
