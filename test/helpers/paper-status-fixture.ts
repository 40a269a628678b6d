import type { PaperTraderStatus } from '../../shared/index.js';

/** A paper trader's status as a paper worker reports it mid-replay; override what the moment needs. */
export function paperTrader(overrides: Partial<PaperTraderStatus> = {}): PaperTraderStatus {
  return {
    jobId: 'BTC-USD/paper',
    pair: 'BTC-USD',
    model: '/models/worker_1_BTC_USD_model',
    mode: 'replay',
    state: 'trading',
    position: 'long',
    equity: 10_250,
    buyAndHoldEquity: 10_400,
    initialCash: 10_000,
    since: '2023-10-18T14:00:00.000Z',
    candles: 120,
    candlesTotal: 575,
    trades: 7,
    fees: 71.2,
    lastDecision: {
      candleTime: '2023-10-23T13:00:00.000Z',
      action: 'long',
      price: 30_123.5,
      fee: 0,
      position: 'long',
      cash: 0,
      equity: 10_250,
    },
    curve: {
      times: ['2023-10-18T14:00:00.000Z', '2023-10-23T13:00:00.000Z'],
      agent: [10_000, 10_250],
      buyAndHold: [10_000, 10_400],
    },
    ledger: '/results/paper/BTC_USD/ledger.jsonl',
    error: null,
    ...overrides,
  };
}
