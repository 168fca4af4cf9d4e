#!/usr/bin/env bash
# Runs a command with other processes busy on some of the cores: the "graceful under load" check of
# docs/performance.md.
#
#   tests/NetGen.ScalingProbe/contention.sh BUSY COMMAND [ARGS...]
#
# BUSY busy-loop processes (1 to cores - 1) run beside COMMAND and stop when it ends. For the check, COMMAND is the
# probe timing the trainer's default threads against the threads pinned to the cores left free, for example on two
# cores with one busy:
#
#   dotnet build tests/NetGen.ScalingProbe -c Release
#   tests/NetGen.ScalingProbe/contention.sh 1 dotnet tests/NetGen.ScalingProbe/bin/Release/net10.0/NetGen.ScalingProbe.dll --threads 1,default
#   tests/NetGen.ScalingProbe/contention.sh 1 /usr/bin/python3 tests/NetGen.ScalingProbe/pytorch_probe.py w1 1,2 64,256 3
set -euo pipefail

cores=$(nproc)
if [[ $# -lt 2 || ! $1 =~ ^[0-9]+$ ]] || (( $1 < 1 || $1 >= cores )); then
    echo "usage: $0 BUSY COMMAND [ARGS...], with BUSY between 1 and $((cores - 1)) on this $cores-core machine" >&2
    exit 2
fi

busy=$1
shift
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for ((i = 0; i < busy; i++)); do
    (while :; do :; done) &
    pids+=($!)
done

echo "# $busy busy process(es) beside the command on $cores cores"
"$@"
