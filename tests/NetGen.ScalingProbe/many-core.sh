#!/usr/bin/env bash
# The many-core measurement of docs/performance.md as one script, for a machine without .NET: the NativeAOT probe
# beside this script, MNIST's training files in DATA (raw or .gz). Prints the thread sweep idle, then beside 2 busy
# processes with the threads pinned to the cores left free for comparison.
#
# Here:   dotnet publish tests/NetGen.ScalingProbe -c Release -r linux-x64 -p:IlcInstructionSet=x86-64-v4 -o OUT
#         cp tests/NetGen.ScalingProbe/many-core.sh tests/NetGen.ScalingProbe/contention.sh OUT/; gzip -k the two train-* files into OUT/mnist
# There:  OUT/many-core.sh OUT/mnist
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data=${1:?usage: many-core.sh DATA}
probe="$here/NetGen.ScalingProbe"
cores=$(nproc)
sweep=1
for threads in 2 4 8 12 16 24 32 48 64; do
    if (( threads <= cores )); then
        sweep="$sweep,$threads"
    fi
done

echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) — $cores cores, avx512f: $(grep -c avx512f /proc/cpuinfo || true)"
"$probe" --data "$data" --network w1 --threads "$sweep,default" --batch 64,256 --epochs 3
"$probe" --data "$data" --network w5 --threads "$sweep,default" --batch 64 --epochs 3
if (( cores > 2 )); then
    "$here/contention.sh" 2 "$probe" --data "$data" --network w1 --threads "1,$((cores - 2)),$cores,default" --batch 64,256 --epochs 3
fi
