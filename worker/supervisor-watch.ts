import { readJsonTolerant, SupervisorStatusSchema } from '../shared/index.js';

/**
 * A worker in a container cannot see its supervisor's pid (another pid namespace, maybe another
 * machine), so it watches the supervisor's heartbeat in supervisor_status.json instead: the
 * supervisor is gone when that heartbeat has not changed for `staleMs` by this worker's own clock
 * (no clock skew between machines matters), when the file names another run, or says it finished.
 */
export function watchSupervisorStatus(
  file: string,
  runId: string,
  onGone: (why: string) => void,
  options: { staleMs?: number; everyMs?: number; now?: () => number } = {},
): () => void {
  const staleMs = options.staleMs ?? 90_000;
  const now = options.now ?? Date.now;
  let lastBeat: string | null = null;
  let lastChange = now();
  let stopped = false;
  const check = async () => {
    const read = await readJsonTolerant(file, SupervisorStatusSchema);
    if (stopped) return;
    if (read.ok) {
      const s = read.value;
      if (s.runId !== runId) return gone(`${file} belongs to run ${s.runId}, not ${runId}`);
      if (s.finished) return gone('the supervisor finished the run');
      if (s.heartbeatAt !== lastBeat) {
        lastBeat = s.heartbeatAt;
        lastChange = now();
      }
    }
    const silent = now() - lastChange;
    if (silent > staleMs) gone(`no supervisor heartbeat in ${file} for ${Math.round(silent / 1000)} s`);
  };
  const gone = (why: string) => {
    stop();
    onGone(why);
  };
  const timer = setInterval(() => void check(), options.everyMs ?? 5_000);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
