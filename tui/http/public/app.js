// @ts-check
// The HTTP mirror's page: renders the DashboardState pushed on /api/events (see event-stream-hub.ts
// for the wire format). Plain DOM and uPlot; every value is set with textContent, never as HTML.
// Type-checked in `npm test` (tsconfig.page.json) against the state's own TypeScript types.

/** @typedef {import('../../../shared/dashboard-state.js').DashboardState} DashboardState */
/** @typedef {import('../../../shared/dashboard-state.js').WorkerView} WorkerView */
/** @typedef {import('../../../shared/dashboard-state.js').LeaderboardRow} LeaderboardRow */
/** @typedef {import('../../../shared/dashboard-state.js').TrialRow} TrialRow */
/** @typedef {import('../../../shared/contract.js').AggregatedResults} AggregatedResults */
/** @typedef {import('../../../shared/contract.js').TrainingReport} TrainingReport */
/** @typedef {import('../../../shared/contract.js').EquityCurve} EquityCurve */
/**
 * A sortable column of a page table: its header, how a row sorts and prints, and its cell class.
 * @template Row
 * @typedef {{ id: string, title: string, num?: boolean, best?: 'asc' | 'desc',
 *   value: (row: Row) => number | string | null, text: (row: Row) => string, tone?: (row: Row) => string,
 *   draw?: (row: Row) => Element | null }} PageColumn
 */
/** @typedef {{ column: string, direction: 'asc' | 'desc' }} PageSort */

(() => {
  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  /** @type {DashboardState | null} */
  let state = null;
  /** @type {AggregatedResults | null} */
  let aggregated = null;
  /** @type {TrainingReport | null} */
  let report = null;
  let frame = 0;
  /** @type {Map<number, ReturnType<typeof workerCard>>} */
  const workerCards = new Map();
  /** @type {Map<string, any>} */
  const equityCards = new Map();
  const paperCards = new Map();

  // ------------------------------------------------------------------ formatting
  const dash = '—';
  /** @param {number | null | undefined} v @param {number} [d] */
  const fixed = (v, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : dash);
  /** @param {number | null | undefined} v @param {number} [d] */
  const signed = (v, d = 2) =>
    typeof v === 'number' && Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(d)}` : dash;
  /** @param {number | null | undefined} share */
  const pct = (share) => (typeof share === 'number' ? `${(share * 100).toFixed(1)}%` : dash);
  /** @param {number | null | undefined} v */
  const tone = (v) => (typeof v === 'number' && v > 0 ? 'pos' : typeof v === 'number' && v < 0 ? 'neg' : '');
  /**
   * Gains read as wins (green) only on rows significant after the correction, or on older results that
   * carry no significance; losses are always red.
   * @param {LeaderboardRow} r @param {number} v
   */
  const provenTone = (r, v) => (v > 0 && r.evidence && !r.evidence.significant ? '' : tone(v));
  /** @param {number | null | undefined} p */
  const pValue = (p) =>
    typeof p !== 'number' || !Number.isFinite(p) ? dash : p < 0.001 ? '<0.001' : p.toFixed(p < 0.01 ? 3 : 2);
  /** @param {number | null | undefined} low @param {number | null | undefined} high */
  const interval = (low, high) =>
    typeof low === 'number' && typeof high === 'number' ? `[${low.toFixed(1)}, ${high.toFixed(1)}]` : dash;
  /** @param {number} seconds */
  function duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return dash;
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = s % 60;
    if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
    if (m > 0) return `${m}m ${String(r).padStart(2, '0')}s`;
    return `${r}s`;
  }
  /** @param {string} iso */
  const utc = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  };
  /** @param {number} now @param {number | null} at */
  const ago = (now, at) =>
    typeof at === 'number' ? `${duration(Math.max(0, (now - at) / 1000))} ago` : dash;

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag @param {string} [className] @param {string} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /** @param {Element} node @param {string} text @param {string} [className] */
  function setText(node, text, className) {
    if (node.textContent !== text) node.textContent = text;
    if (className !== undefined && node.className !== className) node.className = className;
  }
  /** @param {WorkerView} w */
  const workerLabel = (w) => {
    if (w.stalled) return 'stalled';
    if (w.process === 'backoff') return 'backoff';
    return w.state ?? w.process ?? 'pending';
  };

  // ------------------------------------------------------------------ charts (uPlot)
  const axis = () => ({
    stroke: '#9aa7b4',
    grid: { stroke: '#242c38', width: 1 },
    ticks: { stroke: '#2d3748', width: 1 },
    font: '11px system-ui, sans-serif',
  });
  // A chart follows its container's width; ResizeObserver keeps it right on rotation and resize.
  /** @param {HTMLElement} container @param {any} opts @param {any} data */
  function makeChart(container, opts, data) {
    const width = Math.max(200, container.clientWidth || 300);
    const chart = new uPlot({ ...opts, width }, data, container);
    const observer = new ResizeObserver(() => {
      const w = Math.max(200, container.clientWidth);
      if (Math.abs(w - chart.width) > 1) chart.setSize({ width: w, height: opts.height });
    });
    observer.observe(container);
    const destroy = () => {
      observer.disconnect();
      chart.destroy();
    };
    return { chart, destroy };
  }

  /** @param {HTMLElement} container @param {number[]} rewards */
  function rewardChart(container, rewards) {
    const xs = rewards.map((_, i) => i + 1);
    return makeChart(
      container,
      {
        height: 130,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        // Episodes are whole numbers: integer ticks only, and a little room either side.
        scales: {
          x: {
            time: false,
            range: (/** @type {unknown} */ _u, /** @type {number} */ min, /** @type {number} */ max) => [
              min - 0.2,
              max + 0.2,
            ],
          },
        },
        axes: [
          { ...axis(), size: 28, incrs: [1, 2, 5, 10, 20, 50] },
          { ...axis(), size: 52 },
        ],
        series: [{ label: 'episode' }, { label: 'reward', stroke: '#4fc3f7', width: 2, points: { size: 5 } }],
      },
      [xs, rewards],
    );
  }

  /** @param {HTMLElement} container @param {EquityCurve} curve */
  function equityChart(container, curve) {
    const xs = curve.times.map((t) => Date.parse(t) / 1000);
    return makeChart(
      container,
      {
        height: 200,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { ...axis(), size: 30 },
          { ...axis(), size: 60 },
        ],
        series: [
          {},
          {
            label: 'agent',
            stroke: '#4fc3f7',
            width: 2,
            value: (/** @type {unknown} */ _, /** @type {number} */ v) => fixed(v, 0),
          },
          {
            label: 'buy & hold',
            stroke: '#ffb74d',
            width: 1.5,
            dash: [6, 4],
            value: (/** @type {unknown} */ _, /** @type {number} */ v) => fixed(v, 0),
          },
        ],
      },
      [xs, curve.agent, curve.buyAndHold],
    );
  }

  // ------------------------------------------------------------------ header
  /** @param {DashboardState} s */
  function renderHeader(s) {
    const meta = $('run-meta');
    meta.replaceChildren();
    /** @param {string} label @param {string} value */
    const item = (label, value) => {
      const span = el('span', '', `${label} `);
      span.append(el('b', '', value));
      meta.append(span);
    };
    item('run', s.runId ?? dash);
    item('mode', s.mode === 'attach' ? (s.supervisorConnected ? 'attached' : 'read-only viewer') : 'run');
    item('runtime', s.runtime ?? dash);
    item('backend', s.backend ?? dash);
    if (s.dataSource) {
      const labels = {
        yahoo: 'Yahoo Finance',
        'data-dir': 'CSV folder',
        offline: 'cache (offline)',
        synthetic: 'SYNTHETIC (not real data)',
      };
      item('data', labels[s.dataSource] ?? s.dataSource);
      if (s.dataSource === 'synthetic') meta.lastElementChild?.classList.add('warn');
    }
    item('elapsed', duration(s.progress.elapsedSeconds));
    item('ETA', s.finished ? 'finished' : duration(s.progress.etaSeconds ?? Number.NaN));

    const p = s.progress;
    const share =
      p.episodesTotal > 0 ? p.episodesDone / p.episodesTotal : p.jobsTotal > 0 ? p.jobsDone / p.jobsTotal : 0;
    /** @type {HTMLElement} */ ($('progress-bar').firstElementChild).style.width =
      `${Math.min(100, share * 100).toFixed(1)}%`;
    $('progress-bar').setAttribute('aria-valuenow', String(Math.round(share * 100)));
    const failed = p.jobsFailed > 0 ? ` (${p.jobsFailed} failed)` : '';
    setText(
      $('progress-text'),
      `${(share * 100).toFixed(0)}% · jobs ${p.jobsDone}/${p.jobsTotal}${failed} · episodes ${p.episodesDone}/${p.episodesTotal}`,
    );

    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const w of s.workers) counts.set(workerLabel(w), (counts.get(workerLabel(w)) ?? 0) + 1);
    const chips = $('state-counts');
    chips.replaceChildren();
    for (const [label, n] of counts) chips.append(el('span', `chip state-${label}`, `${label} ${n}`));
    document.title = `${s.finished ? '✓' : `${(share * 100).toFixed(0)}%`} · AI Trading Workers`;
  }

  // ------------------------------------------------------------------ workers
  /** @param {WorkerView} w */
  function workerCard(w) {
    const card = el('article', 'card worker');
    card.dataset.workerId = String(w.workerId);
    const head = el('div', 'card-head');
    const badge = el('span', 'badge');
    head.append(el('h3', '', `Worker ${w.workerId}`), badge);
    const job = el('div', 'job');
    const epRow = el('div', 'ep-row');
    const bar = el('div', 'bar');
    bar.append(el('span'));
    const epText = el('span', 'ep-text');
    epRow.append(bar, epText);
    const kv = el('dl', 'kv');
    /** @type {Record<string, HTMLElement>} */
    const fields = {};
    for (const [key, label] of [
      ['sps', 'steps/s'],
      ['jobs', 'jobs'],
      ['restarts', 'restarts'],
      ['heartbeat', 'heartbeat'],
      ['lastPnl', 'last job P/L'],
      ['process', 'process'],
      ['cpu', 'CPU'],
      ['memory', 'memory'],
    ]) {
      const div = el('div');
      const dd = el('dd');
      div.append(el('dt', '', label), dd);
      kv.append(div);
      fields[key] = dd;
    }
    const error = el('div', 'error');
    error.hidden = true;
    const chartLabel = el('div', 'chart-label', 'in-sample episode rewards (current job)');
    const chartBox = el('div', 'chart reward-chart');
    card.append(head, job, epRow, kv, error, chartLabel, chartBox);
    return {
      card,
      badge,
      job,
      bar,
      epText,
      fields,
      error,
      chartBox,
      chartLabel,
      /** @type {{ destroy(): void } | null} */ chart: null,
      sig: '',
    };
  }

  /** @param {DashboardState} s */
  function renderWorkers(s) {
    const box = $('workers');
    if (s.workers.length === 0) {
      box.replaceChildren(el('p', 'empty', 'no workers yet'));
      workerCards.clear();
      return;
    }
    box.querySelector(':scope > .empty')?.remove();
    const seen = new Set();
    for (const w of s.workers) {
      seen.add(w.workerId);
      let c = workerCards.get(w.workerId);
      if (!c) {
        c = workerCard(w);
        workerCards.set(w.workerId, c);
        box.append(c.card);
      }
      const label = workerLabel(w);
      setText(c.badge, label, `badge state-${label}`);
      c.card.dataset.state = label;
      setText(
        c.job,
        w.pair ? `${w.pair} · ${w.variant ?? dash}` : w.pairs.length ? w.pairs.join(', ') : 'no job',
      );
      // A finished worker has no current job: it ended on the last episode of its last job.
      const done = w.state === 'done';
      const episode = done ? w.episodes : w.episode;
      const share = w.episodes > 0 ? Math.min(1, episode / w.episodes) : 0;
      /** @type {HTMLElement} */ (c.bar.firstElementChild).style.width = `${(share * 100).toFixed(1)}%`;
      const step = !done && w.stepsPerEpisode > 0 ? ` · step ${w.step}/${w.stepsPerEpisode}` : '';
      setText(
        c.epText,
        w.episodes > 0
          ? `episode ${episode}/${w.episodes}${step}${done ? ' · all jobs finished' : ''}`
          : 'no episode yet',
      );
      setText(c.chartLabel, done ? 'episode rewards (last job)' : 'episode rewards (current job)');
      setText(c.fields.sps, w.stepsPerSecond > 0 ? fixed(w.stepsPerSecond, 0) : dash);
      setText(
        c.fields.jobs,
        `${w.jobsDone}/${w.jobsTotal}${w.jobsFailed ? ` (${w.jobsFailed} failed)` : ''}`,
      );
      setText(
        c.fields.restarts,
        w.nextRestartAt
          ? `${w.restarts} · next in ${duration((w.nextRestartAt - s.now) / 1000)}`
          : String(w.restarts),
      );
      setText(c.fields.heartbeat, ago(s.now, w.heartbeatAt), w.stalled ? 'stalled' : '');
      c.card.dataset.cpu = String(w.cpuPct ?? '');
      setText(
        c.fields.lastPnl,
        w.lastJobPnlPct === null ? dash : `${signed(w.lastJobPnlPct)}%`,
        tone(w.lastJobPnlPct),
      );
      // Container runtimes: the container (or Swarm task) state as the engine reports it.
      const where = w.container ? `container ${w.container.state}` : w.pid ? `pid ${w.pid}` : '';
      setText(c.fields.process, where ? `${w.process} · ${where}` : w.process);
      c.fields.process.title = w.container?.name ?? '';
      setText(c.fields.cpu, typeof w.cpuPct === 'number' ? `${Math.round(w.cpuPct)}%` : dash);
      setText(c.fields.memory, typeof w.memoryMb === 'number' ? `${Math.round(w.memoryMb)} MB` : dash);
      c.error.hidden = !w.lastError;
      setText(c.error, w.lastError ? `last error: ${w.lastError}` : '');

      const sig = w.recentRewards.join(',');
      if (sig !== c.sig) {
        c.sig = sig;
        c.chart?.destroy();
        c.chart = null;
        c.chartBox.replaceChildren();
        // A line needs two points; before that, say what there is.
        if (w.recentRewards.length === 0) c.chartBox.append(el('p', 'empty', 'no finished episode yet'));
        else if (w.recentRewards.length === 1) {
          c.chartBox.append(el('p', 'empty', `episode 1 reward ${fixed(w.recentRewards[0])}`));
        } else c.chart = rewardChart(c.chartBox, w.recentRewards);
      }
    }
    for (const [id, c] of workerCards) {
      if (!seen.has(id)) {
        c.chart?.destroy();
        c.card.remove();
        workerCards.delete(id);
      }
    }
  }

  // ------------------------------------------------------------------ sortable tables (leaderboard, trials)
  // Column lists like the dashboard's (tui/ink/leaderboard-columns.ts, tui/trial-columns.ts): a new
  // column is one entry. The sort and the selected pair live in the URL hash, so a view can be linked.

  /** @type {PageColumn<LeaderboardRow>[]} */
  const LEADERBOARD_COLUMNS = [
    { id: 'pair', title: 'Pair', best: 'asc', value: (r) => r.pair, text: (r) => r.pair },
    { id: 'variant', title: 'Variant', best: 'asc', value: (r) => r.variant, text: (r) => r.variant },
    {
      id: 'pnl',
      title: 'P/L %',
      num: true,
      value: (r) => r.metrics.pnlPct,
      text: (r) => signed(r.metrics.pnlPct),
      tone: (r) => provenTone(r, r.metrics.pnlPct),
    },
    {
      id: 'significant',
      title: 'Significant',
      value: (r) => (r.evidence ? (r.evidence.significant ? 1 : 0) : null),
      text: (r) => (r.evidence ? (r.evidence.significant ? 'yes' : 'no') : dash),
      tone: (r) => (r.evidence?.significant ? 'pos' : ''),
    },
    {
      id: 'winRate',
      title: 'Win rate',
      num: true,
      value: (r) => r.metrics.winRate,
      text: (r) => pct(r.metrics.winRate),
    },
    {
      id: 'sharpe',
      title: 'Sharpe',
      num: true,
      value: (r) => r.metrics.sharpe,
      text: (r) => fixed(r.metrics.sharpe),
    },
    {
      id: 'sharpeInterval',
      title: 'Sharpe 95% CI',
      num: true,
      value: (r) => r.evidence?.sharpeLow ?? null,
      text: (r) => interval(r.evidence?.sharpeLow, r.evidence?.sharpeHigh),
      draw: (r) => intervalBar(r),
    },
    {
      id: 'pVsBuyAndHold',
      title: 'p vs B&H',
      num: true,
      best: 'asc',
      value: (r) => r.evidence?.pVsBuyAndHold ?? null,
      text: (r) => pValue(r.evidence?.pVsBuyAndHold),
    },
    {
      id: 'pVsRandom',
      title: 'p vs random',
      num: true,
      best: 'asc',
      value: (r) => r.evidence?.pVsRandom ?? null,
      text: (r) => pValue(r.evidence?.pVsRandom),
    },
    {
      id: 'deflatedSharpe',
      title: 'Deflated Sharpe',
      num: true,
      value: (r) => r.evidence?.deflatedSharpe ?? null,
      text: (r) => fixed(r.evidence?.deflatedSharpe),
    },
    {
      id: 'maxDrawdown',
      title: 'Max DD',
      num: true,
      best: 'asc',
      value: (r) => r.metrics.maxDrawdownPct,
      text: (r) => `${fixed(r.metrics.maxDrawdownPct)}%`,
    },
    {
      id: 'trades',
      title: 'Trades',
      num: true,
      value: (r) => r.metrics.trades,
      text: (r) => String(r.metrics.trades),
    },
    {
      id: 'buyAndHold',
      title: 'B&H P/L %',
      num: true,
      value: (r) => r.buyAndHoldPnlPct,
      text: (r) => signed(r.buyAndHoldPnlPct),
      tone: (r) => tone(r.buyAndHoldPnlPct),
    },
  ];

  /** @param {number} v */
  const sci = (v) => {
    const [m, e] = v.toExponential().split('e');
    return `${Number(m)}e${Number(e)}`;
  };
  /** @type {PageColumn<TrialRow>[]} */
  const TRIAL_COLUMNS = [
    { id: 'pair', title: 'Pair', best: 'asc', value: (r) => r.pair, text: (r) => r.pair },
    {
      id: 'variant',
      title: 'Variant',
      best: 'asc',
      value: (r) => r.variant,
      text: (r) => `${r.variant}${r.best ? ' ★' : ''}`,
    },
    {
      id: 'worker',
      title: 'Worker',
      num: true,
      best: 'asc',
      value: (r) => r.workerId,
      text: (r) => String(r.workerId),
    },
    {
      id: 'status',
      title: 'Status',
      best: 'asc',
      value: (r) => ['running', 'pending', 'done', 'failed'].indexOf(r.status),
      text: (r) => r.status,
    },
    {
      id: 'learningRate',
      title: 'lr',
      num: true,
      value: (r) => r.hyperparameters.learningRate,
      text: (r) => sci(r.hyperparameters.learningRate),
    },
    {
      id: 'gamma',
      title: 'γ',
      num: true,
      value: (r) => r.hyperparameters.gamma,
      text: (r) => String(r.hyperparameters.gamma),
    },
    {
      id: 'epsilon',
      title: 'ε end @ decay',
      num: true,
      value: (r) => r.hyperparameters.epsilonDecayFraction,
      text: (r) =>
        `${r.hyperparameters.epsilonEnd} @ ${Math.round(r.hyperparameters.epsilonDecayFraction * 100)}%`,
    },
    {
      id: 'turnover',
      title: 'Turnover pen.',
      num: true,
      value: (r) => r.hyperparameters.turnoverPenalty,
      text: (r) => `${r.hyperparameters.turnoverPenalty}× fee`,
    },
    {
      id: 'valSharpe',
      title: 'Val Sharpe',
      num: true,
      value: (r) => r.validation?.sharpe ?? null,
      text: (r) => fixed(r.validation?.sharpe),
    },
    {
      id: 'valPnl',
      title: 'Val P/L %',
      num: true,
      value: (r) => r.validation?.pnlPct ?? null,
      text: (r) => signed(r.validation?.pnlPct),
      tone: (r) => tone(r.validation?.pnlPct),
    },
    {
      id: 'pnl',
      title: 'P/L %',
      num: true,
      value: (r) => r.metrics?.pnlPct ?? null,
      text: (r) => signed(r.metrics?.pnlPct),
      tone: (r) => tone(r.metrics?.pnlPct),
    },
    {
      id: 'sharpe',
      title: 'Sharpe',
      num: true,
      value: (r) => r.metrics?.sharpe ?? null,
      text: (r) => fixed(r.metrics?.sharpe),
    },
    {
      id: 'maxDrawdown',
      title: 'Max DD',
      num: true,
      best: 'asc',
      value: (r) => r.metrics?.maxDrawdownPct ?? null,
      text: (r) => (r.metrics ? `${fixed(r.metrics.maxDrawdownPct)}%` : dash),
    },
    {
      id: 'trades',
      title: 'Trades',
      num: true,
      value: (r) => r.metrics?.trades ?? null,
      text: (r) => (r.metrics ? String(r.metrics.trades) : dash),
    },
    {
      id: 'buyAndHold',
      title: 'B&H P/L %',
      num: true,
      value: (r) => r.buyAndHoldPnlPct,
      text: (r) => signed(r.buyAndHoldPnlPct),
      tone: (r) => tone(r.buyAndHoldPnlPct),
    },
  ];

  /** What the URL hash holds: `#lb=pnl.desc&trials=valSharpe.desc&pair=BTC-USD`. */
  const view = {
    /** @type {PageSort} */ lb: { column: 'pnl', direction: 'desc' },
    /** @type {PageSort} */ trials: { column: 'valSharpe', direction: 'desc' },
    /** @type {string | null} */ pair: null,
  };

  /** @param {string | null} text @param {PageColumn<any>[]} columns @param {PageSort} fallback @returns {PageSort} */
  function parseSort(text, columns, fallback) {
    const [column, direction] = (text ?? '').split('.');
    if (!columns.some((c) => c.id === column)) return fallback;
    return { column: /** @type {string} */ (column), direction: direction === 'asc' ? 'asc' : 'desc' };
  }
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    view.lb = parseSort(params.get('lb'), LEADERBOARD_COLUMNS, view.lb);
    view.trials = parseSort(params.get('trials'), TRIAL_COLUMNS, view.trials);
    view.pair = params.get('pair') || null;
  }
  function writeHash() {
    const params = new URLSearchParams();
    params.set('lb', `${view.lb.column}.${view.lb.direction}`);
    params.set('trials', `${view.trials.column}.${view.trials.direction}`);
    if (view.pair) params.set('pair', view.pair);
    // replaceState: sorting is not a navigation the back button should walk through.
    history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
  }

  /**
   * Rows sorted by a column; missing values sink to the bottom; ties keep the given order.
   * @template Row @param {Row[]} rows @param {PageColumn<Row>[]} columns @param {PageSort} sort
   */
  function sortRows(rows, columns, sort) {
    const column = columns.find((c) => c.id === sort.column) ?? columns[0];
    if (!column) return rows;
    const sign = sort.direction === 'asc' ? 1 : -1;
    return rows
      .map((row, i) => ({ row, i }))
      .sort((a, b) => {
        const va = column.value(a.row);
        const vb = column.value(b.row);
        if (va === null || vb === null) return va === vb ? a.i - b.i : va === null ? 1 : -1;
        const order =
          typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
        return sign * order || a.i - b.i;
      })
      .map(({ row }) => row);
  }

  /**
   * Draws a sortable table's header once; a click sorts by that column (again: the other way).
   * @param {HTMLTableElement} table @param {PageColumn<any>[]} columns @param {() => PageSort} get @param {(s: PageSort) => void} set
   */
  function sortableHeader(table, columns, get, set) {
    const row = /** @type {HTMLTableRowElement} */ (table.tHead?.rows[0]);
    if (row.childElementCount > 0) return;
    row.append(Object.assign(el('th', 'num', '#'), { scope: 'col' }));
    for (const column of columns) {
      const th = el('th', column.num ? 'num' : '', column.title);
      th.scope = 'col';
      th.dataset.column = column.id;
      th.tabIndex = 0;
      const choose = () => {
        const sort = get();
        set(
          sort.column === column.id
            ? { column: column.id, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
            : { column: column.id, direction: column.best ?? 'desc' },
        );
        writeHash();
        schedule();
      };
      th.addEventListener('click', choose);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') choose();
      });
      row.append(th);
    }
  }

  /** @param {HTMLTableElement} table @param {PageSort} sort */
  function markSorted(table, sort) {
    for (const th of table.querySelectorAll('th[data-column]')) {
      const el2 = /** @type {HTMLElement} */ (th);
      const on = el2.dataset.column === sort.column;
      el2.setAttribute('aria-sort', on ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    }
  }

  /** @template Row @param {Row[]} rows @param {PageColumn<Row>[]} columns @param {(row: Row) => string} [rowClass] */
  function tableRows(rows, columns, rowClass) {
    return rows.map((r, i) => {
      const tr = el('tr', rowClass ? rowClass(r) : '');
      tr.append(el('td', 'num', String(i + 1)));
      for (const column of columns) {
        const td = el(
          'td',
          `${column.num ? 'num' : ''} ${column.tone ? column.tone(r) : ''}`.trim(),
          column.text(r),
        );
        const drawing = column.draw?.(r);
        if (drawing) td.append(drawing);
        tr.append(td);
      }
      return tr;
    });
  }

  // The Sharpe intervals of the leaderboard share one axis (with zero on it), set before the rows are drawn.
  let intervalAxis = { min: -1, max: 1 };
  /** @param {readonly LeaderboardRow[]} rows */
  function setIntervalAxis(rows) {
    const ends = rows.flatMap((r) => [r.evidence?.sharpeLow, r.evidence?.sharpeHigh, r.metrics.sharpe]);
    const finite = /** @type {number[]} */ (ends.filter((v) => typeof v === 'number' && Number.isFinite(v)));
    intervalAxis = { min: Math.min(0, ...finite), max: Math.max(0, ...finite) };
    if (intervalAxis.max - intervalAxis.min < 1e-9) intervalAxis = { min: -1, max: 1 };
  }
  /**
   * A row's Sharpe interval drawn on the shared axis: the bar, the estimate as a dot, zero as a line.
   * @param {LeaderboardRow} r
   */
  function intervalBar(r) {
    const low = r.evidence?.sharpeLow;
    const high = r.evidence?.sharpeHigh;
    if (typeof low !== 'number' || typeof high !== 'number') return null;
    const NS = 'http://www.w3.org/2000/svg';
    const width = 120;
    const x = (/** @type {number} */ v) =>
      ((v - intervalAxis.min) / (intervalAxis.max - intervalAxis.min)) * (width - 4) + 2;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('class', 'interval');
    svg.setAttribute('viewBox', `0 0 ${width} 10`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', '10');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Sharpe 95% interval ${interval(low, high)}`);
    /** @param {string} tag @param {Record<string, string | number>} attrs */
    const add = (tag, attrs) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      svg.append(node);
    };
    add('line', { x1: x(0), x2: x(0), y1: 0, y2: 10, class: 'zero' });
    add('line', {
      x1: x(low),
      x2: x(high),
      y1: 5,
      y2: 5,
      class: r.evidence?.significant ? 'span pos' : 'span',
    });
    const estimate = r.metrics.sharpe;
    if (typeof estimate === 'number' && Number.isFinite(estimate))
      add('circle', { cx: x(estimate), cy: 5, r: 2.5 });
    return svg;
  }

  /** @param {DashboardState} s */
  function renderLeaderboard(s) {
    const table = /** @type {HTMLTableElement} */ ($('leaderboard'));
    sortableHeader(
      table,
      LEADERBOARD_COLUMNS,
      () => view.lb,
      (sort) => {
        view.lb = sort;
      },
    );
    markSorted(table, view.lb);
    setIntervalAxis(s.leaderboard);
    const rows = tableRows(sortRows(s.leaderboard, LEADERBOARD_COLUMNS, view.lb), LEADERBOARD_COLUMNS);
    table.tBodies[0]?.replaceChildren(...rows);
    $('leaderboard-empty').hidden = rows.length > 0;
    // The Sharpe column says how it is annualised once the rows carry it (×√8760 for hourly crypto).
    const annualization = s.leaderboard.find((r) => r.annualization)?.annualization;
    const sharpeHeader = table.querySelector('th[data-column="sharpe"]');
    if (sharpeHeader) sharpeHeader.textContent = annualization ? `Sharpe ×√${annualization}` : 'Sharpe';
    // How many rows survive the correction for testing them all, beside what chance alone gives.
    const m = aggregated?.multipleTesting;
    const note = $('leaderboard-significance');
    note.hidden = !m;
    if (m) {
      note.textContent = `Significant vs buy-and-hold at ${Math.round(m.alpha * 100)} % after Benjamini–Hochberg: ${m.significant} of ${m.tested} (${m.expectedByChance.toFixed(2)} expected by chance)`;
    }
  }

  /** @param {DashboardState} s */
  function renderTrials(s) {
    const trials = s.trials ?? [];
    const table = /** @type {HTMLTableElement} */ ($('trials'));
    sortableHeader(
      table,
      TRIAL_COLUMNS,
      () => view.trials,
      (sort) => {
        view.trials = sort;
      },
    );
    markSorted(table, view.trials);
    const select = /** @type {HTMLSelectElement} */ ($('trial-pair'));
    const pairs = [...new Set(trials.map((t) => t.pair))];
    if (select.options.length !== pairs.length + 1) {
      select.replaceChildren(el('option', '', 'all pairs'), ...pairs.map((p) => el('option', '', p)));
      /** @type {HTMLOptionElement} */ (select.options[0]).value = '';
    }
    if (select.value !== (view.pair ?? '')) select.value = view.pair ?? '';
    const shown = view.pair ? trials.filter((t) => t.pair === view.pair) : trials;
    const rows = tableRows(
      sortRows(shown, TRIAL_COLUMNS, view.trials),
      TRIAL_COLUMNS,
      (t) => `${t.status}${t.best ? ' best' : ''}`,
    );
    table.tBodies[0]?.replaceChildren(...rows);
    const done = shown.filter((t) => t.status === 'done').length;
    setText(
      $('trial-count'),
      `${shown.length} job${shown.length === 1 ? '' : 's'}, ${done} done · ★ best variant of its pair`,
    );
    $('trials-empty').hidden = rows.length > 0;
  }

  // ------------------------------------------------------------------ equity curves
  /**
   * The card of `pair` in `cards` (title, badge, a line under it, a chart box), made on first use.
   * @param {HTMLElement} box @param {Map<string, any>} cards @param {string} pair
   */
  function chartCard(box, cards, pair) {
    let c = cards.get(pair);
    if (c) return c;
    const card = el('article', 'card equity');
    card.dataset.pair = pair;
    const head = el('div', 'card-head');
    const title = el('h3');
    const badge = el('span', 'badge');
    head.append(title, badge);
    const sub = el('div', 'chart-label');
    const chartBox = el('div', 'chart equity-chart');
    card.append(head, sub, chartBox);
    box.append(card);
    c = { card, title, badge, sub, chartBox, chart: null, curve: null, last: '' };
    cards.set(pair, c);
    return c;
  }

  function renderEquity() {
    const box = $('equity');
    const best = (aggregated?.bestByPair ?? []).filter(
      (b) => b.equityCurve && b.equityCurve.times.length > 1,
    );
    if (best.length === 0) {
      for (const c of equityCards.values()) c.chart?.destroy();
      equityCards.clear();
      box.replaceChildren(el('p', 'empty', 'no equity curve yet'));
      return;
    }
    box.querySelector(':scope > .empty')?.remove();
    const seen = new Set();
    for (const b of best) {
      seen.add(b.pair);
      const c = chartCard(box, equityCards, b.pair);
      setText(c.title, `${b.pair} · ${b.variant}`);
      setText(c.badge, `${signed(b.metrics.pnlPct)}%`, `badge ${tone(b.metrics.pnlPct)}`);
      setText(
        c.sub,
        `buy & hold ${signed(b.buyAndHold.pnlPct)}% · Sharpe ${fixed(b.metrics.sharpe)} · max DD ${fixed(b.metrics.maxDrawdownPct)}% · worker ${b.workerId}`,
      );
      if (b.equityCurve && c.curve !== b.equityCurve) {
        c.curve = b.equityCurve;
        c.chart?.destroy();
        c.chartBox.replaceChildren();
        c.chart = equityChart(c.chartBox, b.equityCurve);
      }
    }
    for (const [pair, c] of equityCards) {
      if (!seen.has(pair)) {
        c.chart?.destroy();
        c.card.remove();
        equityCards.delete(pair);
      }
    }
  }

  // ------------------------------------------------------------------ paper traders
  /** @param {DashboardState} s */
  const paperTraders = (s) =>
    s.workers.flatMap((w) => (w.paper ?? []).map((t) => ({ ...t, workerId: w.workerId })));
  /** @param {number} v @param {number} base */
  const growth = (v, base) => (v / base - 1) * 100;

  /** @param {DashboardState} s */
  function renderPaper(s) {
    const paper = s.runKind === 'paper';
    $('paper-section').hidden = !paper;
    // A paper run has no training leaderboard or out-of-sample curves.
    $('leaderboard-section').hidden = paper;
    $('equity-section').hidden = paper;
    $('trials-section').hidden = paper;
    if (!paper) return;
    const traders = paperTraders(s);
    const rows = traders.map((t) => {
      const tr = el('tr');
      tr.dataset.pair = t.pair;
      const pnl = growth(t.equity, t.initialCash);
      const hold = growth(t.buyAndHoldEquity, t.initialCash);
      const d = t.lastDecision;
      const cells = [
        [t.pair, ''],
        [t.state, t.state === 'failed' ? 'neg' : ''],
        [t.position, ''],
        [fixed(t.equity), 'num'],
        [signed(pnl), `num ${tone(pnl)}`],
        [signed(hold), `num ${tone(hold)}`],
        [signed(pnl - hold), `num ${tone(pnl - hold)}`],
        [String(t.trades), 'num'],
        [t.candlesTotal === null ? String(t.candles) : `${t.candles}/${t.candlesTotal}`, 'num'],
        [d ? `${d.action} @ ${d.price} · ${utc(d.candleTime)}` : dash, ''],
      ];
      for (const [text, cls] of cells) tr.append(el('td', cls, text));
      return tr;
    });
    /** @type {HTMLTableElement} */ ($('paper-traders')).tBodies[0]?.replaceChildren(...rows);
    const box = $('paper-charts');
    const seen = new Set();
    for (const t of traders) {
      if (t.curve.times.length < 2) continue;
      seen.add(t.pair);
      const c = chartCard(box, paperCards, t.pair);
      const pnl = growth(t.equity, t.initialCash);
      setText(c.title, `${t.pair} · paper ${t.mode}`);
      setText(c.badge, `${signed(pnl)}%`, `badge ${tone(pnl)}`);
      setText(
        c.sub,
        `${t.position} · buy & hold ${signed(growth(t.buyAndHoldEquity, t.initialCash))}% · ${t.trades} trades · since ${t.since ? utc(t.since) : dash}`,
      );
      const key = `${t.curve.times.length}|${t.curve.times.at(-1)}`;
      if (c.last !== key) {
        c.last = key;
        c.chart?.destroy();
        c.chartBox.replaceChildren();
        c.chart = equityChart(c.chartBox, t.curve);
      }
    }
    for (const [pair, c] of paperCards) {
      if (!seen.has(pair)) {
        c.chart?.destroy();
        c.card.remove();
        paperCards.delete(pair);
      }
    }
  }

  // ------------------------------------------------------------------ report and problems
  function renderReport() {
    $('report-section').hidden = report === null;
    if (report === null) return;
    const box = $('report');
    box.replaceChildren(
      el('p', '', `outcome: ${report.outcome} · ${duration(report.seconds)} · ${report.jobs.length} jobs`),
      el(
        'p',
        '',
        `finished ${utc(report.finishedAt)} · backend ${report.environment.backend ?? dash} · node ${report.environment.node}`,
      ),
    );
    for (const f of report.failures) {
      box.append(el('p', 'neg', `worker ${f.workerId}${f.jobId ? ` ${f.jobId}` : ''}: ${f.reason}`));
    }
  }

  /** @param {DashboardState} s */
  function renderProblems(s) {
    $('problems-section').hidden = s.problems.length === 0;
    $('problems').replaceChildren(...s.problems.map((p) => el('li', '', p)));
  }

  function render() {
    frame = 0;
    if (state === null) return;
    renderHeader(state);
    renderWorkers(state);
    renderLeaderboard(state);
    renderTrials(state);
    renderEquity();
    renderPaper(state);
    renderReport();
    renderProblems(state);
    document.body.dataset.updatedAt = String(state.now);
  }
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(render);
  };

  // ------------------------------------------------------------------ connection
  /** @param {'live' | 'lost' | 'wait'} status */
  function setConnection(status) {
    const conn = $('conn');
    const text = { live: 'live', lost: 'connection lost — reconnecting', wait: 'connecting…' }[status];
    setText(conn, text, `conn conn-${status}`);
    $('banner').hidden = status !== 'lost';
    document.body.dataset.connection = status;
  }

  /** @param {MessageEvent} event */
  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch {
      return undefined;
    }
  }

  /** @type {EventSource | null} */
  let source = null;
  function connect() {
    // Same origin: the session cookie (set by the one ?token= visit) goes along.
    source = new EventSource('/api/events');
    source.onopen = () => setConnection('live');
    source.addEventListener('aggregated', (e) => {
      const v = parse(e);
      if (v === undefined) return;
      aggregated = v;
      schedule();
    });
    source.addEventListener('report', (e) => {
      const v = parse(e);
      if (v === undefined) return;
      report = v;
      schedule();
    });
    source.addEventListener('state', (e) => {
      const v = parse(e);
      if (v === undefined) return;
      state = v;
      setConnection('live');
      schedule();
    });
    source.onerror = () => {
      setConnection('lost');
      // EventSource retries by itself unless the server answered an error; then we start over.
      if (source?.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 3000);
      }
    };
  }

  readHash();
  window.addEventListener('hashchange', () => {
    readHash();
    schedule();
  });
  $('trial-pair').addEventListener('change', (e) => {
    view.pair = /** @type {HTMLSelectElement} */ (e.target).value || null;
    writeHash();
    schedule();
  });
  setConnection('wait');
  connect();
})();
