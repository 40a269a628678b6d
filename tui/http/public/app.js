// The HTTP mirror's page: renders the DashboardState pushed on /api/events (see event-stream-hub.ts
// for the wire format). Plain DOM and uPlot; every value is set with textContent, never as HTML.
(() => {
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const $ = (id) => document.getElementById(id);

  let state = null;
  let aggregated = null;
  let report = null;
  let frame = 0;
  const workerCards = new Map();
  const equityCards = new Map();
  const paperCards = new Map();

  // ------------------------------------------------------------------ formatting
  const dash = '—';
  const fixed = (v, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : dash);
  const signed = (v, d = 2) =>
    typeof v === 'number' && Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(d)}` : dash;
  const pct = (share) => (typeof share === 'number' ? `${(share * 100).toFixed(1)}%` : dash);
  const tone = (v) => (typeof v === 'number' && v > 0 ? 'pos' : typeof v === 'number' && v < 0 ? 'neg' : '');
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
  const utc = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  };
  const ago = (now, at) =>
    typeof at === 'number' ? `${duration(Math.max(0, (now - at) / 1000))} ago` : dash;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function setText(node, text, className) {
    if (node.textContent !== text) node.textContent = text;
    if (className !== undefined && node.className !== className) node.className = className;
  }
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

  function rewardChart(container, rewards) {
    const xs = rewards.map((_, i) => i + 1);
    return makeChart(
      container,
      {
        height: 130,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        // Episodes are whole numbers: integer ticks only, and a little room either side.
        scales: { x: { time: false, range: (_u, min, max) => [min - 0.2, max + 0.2] } },
        axes: [
          { ...axis(), size: 28, incrs: [1, 2, 5, 10, 20, 50] },
          { ...axis(), size: 52 },
        ],
        series: [{ label: 'episode' }, { label: 'reward', stroke: '#4fc3f7', width: 2, points: { size: 5 } }],
      },
      [xs, rewards],
    );
  }

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
          { label: 'agent', stroke: '#4fc3f7', width: 2, value: (_, v) => fixed(v, 0) },
          { label: 'buy & hold', stroke: '#ffb74d', width: 1.5, dash: [6, 4], value: (_, v) => fixed(v, 0) },
        ],
      },
      [xs, curve.agent, curve.buyAndHold],
    );
  }

  // ------------------------------------------------------------------ header
  function renderHeader(s) {
    const meta = $('run-meta');
    meta.replaceChildren();
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
      if (s.dataSource === 'synthetic') meta.lastElementChild.classList.add('warn');
    }
    item('elapsed', duration(s.progress.elapsedSeconds));
    item('ETA', s.finished ? 'finished' : duration(s.progress.etaSeconds ?? Number.NaN));

    const p = s.progress;
    const share =
      p.episodesTotal > 0 ? p.episodesDone / p.episodesTotal : p.jobsTotal > 0 ? p.jobsDone / p.jobsTotal : 0;
    $('progress-bar').firstElementChild.style.width = `${Math.min(100, share * 100).toFixed(1)}%`;
    $('progress-bar').setAttribute('aria-valuenow', String(Math.round(share * 100)));
    const failed = p.jobsFailed > 0 ? ` (${p.jobsFailed} failed)` : '';
    setText(
      $('progress-text'),
      `${(share * 100).toFixed(0)}% · jobs ${p.jobsDone}/${p.jobsTotal}${failed} · episodes ${p.episodesDone}/${p.episodesTotal}`,
    );

    const counts = new Map();
    for (const w of s.workers) counts.set(workerLabel(w), (counts.get(workerLabel(w)) ?? 0) + 1);
    const chips = $('state-counts');
    chips.replaceChildren();
    for (const [label, n] of counts) chips.append(el('span', `chip state-${label}`, `${label} ${n}`));
    document.title = `${s.finished ? '✓' : `${(share * 100).toFixed(0)}%`} · AI Trading Workers`;
  }

  // ------------------------------------------------------------------ workers
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
    const fields = {};
    for (const [key, label] of [
      ['sps', 'steps/s'],
      ['jobs', 'jobs'],
      ['restarts', 'restarts'],
      ['heartbeat', 'heartbeat'],
      ['lastPnl', 'last job P/L'],
      ['process', 'process'],
    ]) {
      const div = el('div');
      const dd = el('dd');
      div.append(el('dt', '', label), dd);
      kv.append(div);
      fields[key] = dd;
    }
    const error = el('div', 'error');
    error.hidden = true;
    const chartLabel = el('div', 'chart-label', 'episode rewards (current job)');
    const chartBox = el('div', 'chart reward-chart');
    card.append(head, job, epRow, kv, error, chartLabel, chartBox);
    return { card, badge, job, bar, epText, fields, error, chartBox, chart: null, sig: '' };
  }

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
      const share = w.episodes > 0 ? Math.min(1, w.episode / w.episodes) : 0;
      c.bar.firstElementChild.style.width = `${(share * 100).toFixed(1)}%`;
      const step = w.stepsPerEpisode > 0 ? ` · step ${w.step}/${w.stepsPerEpisode}` : '';
      setText(c.epText, w.episodes > 0 ? `episode ${w.episode}/${w.episodes}${step}` : 'no episode yet');
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
      setText(
        c.fields.lastPnl,
        w.lastJobPnlPct === null ? dash : `${signed(w.lastJobPnlPct)}%`,
        tone(w.lastJobPnlPct),
      );
      setText(c.fields.process, w.pid ? `${w.process} · pid ${w.pid}` : w.process);
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

  // ------------------------------------------------------------------ leaderboard
  function renderLeaderboard(s) {
    const body = $('leaderboard').tBodies[0];
    const rows = s.leaderboard.map((r, i) => {
      const tr = el('tr');
      const m = r.metrics;
      const cells = [
        [String(i + 1), 'num'],
        [r.pair, ''],
        [r.variant, ''],
        [signed(m.pnlPct), `num ${tone(m.pnlPct)}`],
        [pct(m.winRate), 'num'],
        [fixed(m.sharpe), 'num'],
        [`${fixed(m.maxDrawdownPct)}%`, 'num'],
        [String(m.trades), 'num'],
        [signed(r.buyAndHoldPnlPct), `num ${tone(r.buyAndHoldPnlPct)}`],
      ];
      for (const [text, cls] of cells) tr.append(el('td', cls, text));
      return tr;
    });
    body.replaceChildren(...rows);
    $('leaderboard-empty').hidden = rows.length > 0;
  }

  // ------------------------------------------------------------------ equity curves
  /** The card of `pair` in `cards` (title, badge, a line under it, a chart box), made on first use. */
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
      if (c.curve !== b.equityCurve) {
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
  const paperTraders = (s) =>
    s.workers.flatMap((w) => (w.paper ?? []).map((t) => ({ ...t, workerId: w.workerId })));
  const growth = (v, base) => (v / base - 1) * 100;

  function renderPaper(s) {
    const paper = s.runKind === 'paper';
    $('paper-section').hidden = !paper;
    // A paper run has no training leaderboard or out-of-sample curves.
    $('leaderboard-section').hidden = paper;
    $('equity-section').hidden = paper;
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
    $('paper-traders').tBodies[0].replaceChildren(...rows);
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
  function setConnection(status) {
    const conn = $('conn');
    const text = { live: 'live', lost: 'connection lost — reconnecting', wait: 'connecting…' }[status];
    setText(conn, text, `conn conn-${status}`);
    $('banner').hidden = status !== 'lost';
    document.body.dataset.connection = status;
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch {
      return undefined;
    }
  }

  let source = null;
  function connect() {
    source = new EventSource(`/api/events${query}`);
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
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 3000);
      }
    };
  }

  setConnection('wait');
  connect();
})();
