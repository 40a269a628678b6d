import test from 'ava';
import { httpDoneState, httpRunningState } from '../../test/fixtures/http-state.js';
import { createStateJson } from './state-json.js';

test('createStateJson: full() is the whole state; parts are reused by identity', (t) => {
  const json = createStateJson();
  t.deepEqual(JSON.parse(json.full(httpDoneState)), JSON.parse(JSON.stringify(httpDoneState)));
  t.deepEqual(JSON.parse(json.full(httpRunningState)), JSON.parse(JSON.stringify(httpRunningState)));
  const light = JSON.parse(json.light(httpRunningState)) as Record<string, unknown>;
  t.false('aggregated' in light);
  t.false('report' in light);
  t.is(light.runId, httpRunningState.runId);
  t.is(json.full(httpRunningState), json.full(httpRunningState));
  const aggregatedText = json.aggregated(httpRunningState.aggregated);
  const next = { ...httpRunningState, now: httpRunningState.now + 1 };
  t.true(json.full(next).includes(aggregatedText));
  t.is(json.aggregated(next.aggregated), aggregatedText, 'same object, same string instance');
  t.is(json.report(null), 'null');
});
