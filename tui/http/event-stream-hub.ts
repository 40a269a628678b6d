import type { ServerResponse } from 'node:http';
import type { AggregatedResults, DashboardState, StateStore, TrainingReport } from '../../shared/index.js';
import { memoLast } from './json-memo.js';
import type { StateJson } from './state-json.js';

/** Options of the Server-Sent Events fan-out. */
export interface EventStreamOptions {
  store: StateStore;
  /** Shared serialisers: the frames reuse the texts `/api/state` already made. */
  json: StateJson;
  /** Least time between two pushes; 250 ms = at most 4 updates per second. */
  minIntervalMs?: number;
  /** Comment lines that keep proxies and idle timers from closing quiet streams. */
  heartbeatMs?: number;
  /** Streams beyond this answer 503, so a runaway client cannot exhaust the process. */
  maxClients?: number;
}

/** Open event streams, fed from one store subscription. */
export interface EventStreamHub {
  /** Takes over a response: headers, the current state, then updates until the client leaves. */
  add(res: ServerResponse): void;
  readonly size: number;
  readonly full: boolean;
  /** Ends every stream and stops listening to the store. */
  close(): void;
}

interface Client {
  res: ServerResponse;
  sentState: DashboardState | undefined;
  sentAggregated: AggregatedResults | null | undefined;
  sentReport: TrainingReport | null | undefined;
  blocked: boolean;
}

/** An SSE frame of already serialised JSON, as bytes. */
const frame = (event: string, json: string) => Buffer.from(`event: ${event}\ndata: ${json}\n\n`);

/**
 * Pushes the dashboard state to every open `/api/events` stream.
 *
 * Wire format: `event: aggregated` (AggregatedResults | null) and `event: report` (TrainingReport |
 * null) are sent when they change, and `event: state` carries the DashboardState without those two
 * fields (they hold the equity curves and dwarf the rest, yet change once per finished job). A view is
 * the last `state` with the last `aggregated` and `report` put back. Store notifications are batched
 * to one push per `minIntervalMs`; a slow client is skipped until its socket drains, then gets the latest.
 */
export function createEventStreamHub(options: EventStreamOptions): EventStreamHub {
  const { store, json, minIntervalMs = 250, heartbeatMs = 15_000, maxClients = 200 } = options;
  const clients = new Set<Client>();
  // Encoded once per object identity: 50 streams cost one UTF-8 encoding per push.
  const stateFrame = memoLast((state: DashboardState) => frame('state', json.light(state)));
  const aggregatedFrame = memoLast((a: AggregatedResults | null) => frame('aggregated', json.aggregated(a)));
  const reportFrame = memoLast((r: TrainingReport | null) => frame('report', json.report(r)));
  let timer: NodeJS.Timeout | null = null;
  let lastPushAt = 0;
  let closed = false;

  const send = (client: Client, snapshot: DashboardState) => {
    if (client.blocked || client.res.destroyed) return;
    const frames: Buffer[] = [];
    if (client.sentAggregated !== snapshot.aggregated) frames.push(aggregatedFrame(snapshot.aggregated));
    if (client.sentReport !== snapshot.report) frames.push(reportFrame(snapshot.report));
    if (client.sentState !== snapshot) frames.push(stateFrame(snapshot));
    if (frames.length === 0) return;
    client.sentAggregated = snapshot.aggregated;
    client.sentReport = snapshot.report;
    client.sentState = snapshot;
    let flowing = true;
    for (const frame of frames) flowing = client.res.write(frame) && flowing;
    if (!flowing) {
      client.blocked = true;
      client.res.once('drain', () => {
        client.blocked = false;
        if (!closed) send(client, store.getSnapshot());
      });
    }
  };

  const push = () => {
    timer = null;
    lastPushAt = Date.now();
    const snapshot = store.getSnapshot();
    for (const client of clients) send(client, snapshot);
  };

  const unsubscribe = store.subscribe(() => {
    if (closed || timer !== null || clients.size === 0) return;
    timer = setTimeout(push, Math.max(0, lastPushAt + minIntervalMs - Date.now()));
  });

  const heartbeat = setInterval(() => {
    const line = `: heartbeat ${new Date().toISOString()}\n\n`;
    for (const client of clients) if (!client.blocked && !client.res.destroyed) client.res.write(line);
  }, heartbeatMs);
  heartbeat.unref();

  return {
    add(res) {
      const client: Client = {
        res,
        sentState: undefined,
        sentAggregated: undefined,
        sentReport: undefined,
        blocked: false,
      };
      clients.add(client);
      const drop = () => clients.delete(client);
      res.on('close', drop);
      res.on('error', drop);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      send(client, store.getSnapshot());
    },
    get size() {
      return clients.size;
    },
    get full() {
      return clients.size >= maxClients;
    },
    close() {
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      if (timer !== null) clearTimeout(timer);
      for (const client of clients) client.res.end();
      clients.clear();
    },
  };
}
