#!/usr/bin/env bash
# Trains with other processes busy on some of the cores, and compares the trainer's default thread choice with the
# thread count pinned to the cores left free: the "graceful under load" check of docs/performance.md.
#
#   tests/NetGen.ScalingProbe/contention.sh [BUSY] [probe options...]
#
# BUSY (default 1) busy-loop processes run beside the probe; the probe times --threads (cores - BUSY),default and, as a
# reference, 1. Other options go to the probe (--network w1|w5, --batch 64,256, --epochs 3, --data DIR). Set PROBE to a
# published probe binary to skip the build (on a machine without .NET).
set -euo pipefail

busy=1
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    busy=$1
    shift
fi

cores=$(nproc)
free=$((cores - busy))
if (( busy < 1 || free < 1 )); then
    echo "BUSY must be between 1 and $((cores - 1)) on this $cores-core machine, not $busy." >&2
    exit 2
fi

if [[ -n ${PROBE:-} ]]; then
    probe=("$PROBE")
else
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    dotnet build "$root/tests/NetGen.ScalingProbe" -c Release --nologo -v quiet >&2
    probe=(dotnet "$root/tests/NetGen.ScalingProbe/bin/Release/net10.0/NetGen.ScalingProbe.dll")
fi

threads="1,default"
if (( free > 1 )); then
    threads="1,$free,default"
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for ((i = 0; i < busy; i++)); do
    (while :; do :; done) &
    pids+=($!)
done

echo "# $busy busy process(es) on $cores cores; pinned reference: $free thread(s)"
"${probe[@]}" --threads "$threads" "$@"
