#!/bin/bash
# The supervisor's own CPU by phase for the default plan run by the build in REPO (its dist/cli.js), so
# two builds can be compared in one sitting (the README's before/after table of the supervisor came from
# this; `npm run bench -- --only plan --dist [--dashboard]` measures this tree's build the same way).
#
#   bench/supervisor-cpu.sh REPO OUT [train arguments...]     e.g. add --headless for a headless run
#
# The run draws in a detached 160×50 tmux session; /proc/<pid>/stat of the supervisor is sampled, and its
# worker children are counted to split start-up, training and the end phase. Needs tmux and bc.
set -u
REPO=$(cd "$1" && pwd); OUT=$2; shift 2
DATA=$(cd "$(dirname "$0")/../../shared/data" && pwd)
SESSION=supervisor-cpu-$$
rm -rf "$OUT"; mkdir -p "$OUT"
tmux new-session -d -s $SESSION -x 160 -y 50 \
  "cd '$REPO' && env -u CI node dist/cli.js train --data-dir '$DATA' --results '$OUT/results' --models '$OUT/models' $*; echo \$? > '$OUT/exit'"
PID=""
for _ in $(seq 100); do
  PID=$(pgrep -f "^node dist/cli.js train --data-dir $DATA --results $OUT/results" | head -1)
  [ -n "$PID" ] && break
  sleep 0.05
done
[ -n "$PID" ] || { echo "the supervisor did not start" >&2; exit 1; }
LAST=0
cpu() { local v; v=$(awk '{printf "%.2f", ($14+$15)/100}' /proc/$PID/stat 2>/dev/null) && LAST=$v; echo $LAST; }
now() { date +%s.%N; }
workers() { pgrep -P $PID -f "worker/main.js" | wc -l; }
T0=$(now)
while [ "$(workers)" = 0 ]; do cpu >/dev/null; sleep 0.2; done
T1=$(now); C1=$(cpu)
while [ "$(workers)" != 0 ]; do cpu >/dev/null; sleep 0.2; done
T2=$(now); C2=$(cpu)
while [ ! -f "$OUT/results/training_report.json" ]; do cpu >/dev/null; sleep 0.1; done
if [[ "$*" == *--headless* ]]; then
  while kill -0 $PID 2>/dev/null; do cpu >/dev/null; sleep 0.1; done
else
  sleep 0.5
fi
T3=$(now); C3=$(cpu)
tmux send-keys -t $SESSION q 2>/dev/null; sleep 2; tmux kill-session -t $SESSION 2>/dev/null
pct() { echo "scale=1; 100*($1)/($2)" | bc; }
echo "$REPO $*: wall $(echo "$T3 - $T0" | bc | cut -c1-6) s; supervisor $C3 s CPU; start-up $C1 s;" \
  "while workers train $(echo "$C2 - $C1" | bc) s in $(echo "$T2 - $T1" | bc | cut -c1-5) s = $(pct "$C2 - $C1" "$T2 - $T1") % of a core;" \
  "end $(echo "$C3 - $C2" | bc) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
