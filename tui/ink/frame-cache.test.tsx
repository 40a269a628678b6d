/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';

// Colours on, before Ink's chalk loads: the styled paths (tokenising, style diffs) are the ones at stake.
process.env.FORCE_COLOR = '3';
delete process.env.NO_COLOR;
const { KEYS } = await import('../../test/helpers/ink.js');
const { drawFleetDashboard } = await import('../../test/helpers/fleet-dashboard.js');
const { outputGetters, setFrameCache } = await import('./frame-cache.js');

// The cached composition must give Ink's own output, character for character: Ink's `Output.get` is the
// reference, on hand-made operations that reach every branch and on real dashboard frames.

const getters = outputGetters();

type Transformer = (line: string, index: number) => string;
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { type: 'unclip' };

/** Ink's own `Output` fed through its public methods, composed by `get`. */
function compose(get: 'ink' | 'cached', width: number, height: number, operations: Operation[]) {
  if (!getters) throw new Error('no getters');
  const output = new getters.Output({ width, height });
  for (const operation of operations) {
    if (operation.type === 'write') output.write(operation.x, operation.y, operation.text, operation);
    else if (operation.type === 'clip')
      output.clip({ x1: undefined, x2: undefined, y1: undefined, y2: undefined, ...operation.clip });
    else output.unclip();
  }
  return getters[get].call(output);
}

const green = (s: string) => `\u001B[32m${s}\u001B[39m`;
const bold = (s: string) => `\u001B[1m${s}\u001B[22m`;
const dim = (s: string) => `\u001B[2m${s}\u001B[22m`;
const inverse = (s: string) => `\u001B[7m${s}\u001B[27m`;
const rgb = (s: string) => `\u001B[38;2;255;128;0m${s}\u001B[39m`;
const link = (s: string) => `\u001B]8;;https://example.com\u0007${s}\u001B]8;;\u0007`;
const upper: Transformer = (line) => line.toUpperCase();
const numbered: Transformer = (line, index) => `${index}:${line}`;

test('the installed Ink is one the frame cache was checked against', (t) => {
  t.not(getters, null, 'ink is not 6.8.x: check frame-cache.ts against its Output.get and widen CHECKED_INK');
  const state = setFrameCache(true);
  t.true(state.enabled);
  t.regex(state.checkedInk ?? '', /^6\.8\./);
});

test('hand-made operations: every branch gives Ink’s output, first time and from the cache', (t) => {
  if (!getters) return t.fail('no getters');
  const cases: [string, number, number, Operation[]][] = [
    [
      'plain lines and a gap',
      20,
      4,
      [
        { type: 'write', x: 0, y: 0, text: 'hello', transformers: [] },
        { type: 'write', x: 3, y: 2, text: 'world', transformers: [] },
      ],
    ],
    [
      'styles, nested and adjacent',
      40,
      2,
      [
        {
          type: 'write',
          x: 1,
          y: 0,
          text: `${green('up')} ${bold(dim('both'))}${inverse(' sel ')}${rgb('rgb')}`,
          transformers: [],
        },
      ],
    ],
    [
      'overwrites: a later write wins its cells',
      20,
      1,
      [
        { type: 'write', x: 0, y: 0, text: green('aaaaaaaaaa'), transformers: [] },
        { type: 'write', x: 4, y: 0, text: bold('BB'), transformers: [] },
      ],
    ],
    [
      'wide characters and emoji',
      20,
      2,
      [
        { type: 'write', x: 0, y: 0, text: '漢字🚀x', transformers: [] },
        { type: 'write', x: 1, y: 0, text: 'y', transformers: [] },
        { type: 'write', x: 0, y: 1, text: green('▸ ● ✓ ─│'), transformers: [] },
      ],
    ],
    [
      'multi-line text with transformers',
      20,
      4,
      [{ type: 'write', x: 2, y: 1, text: 'ab\ncd\nef', transformers: [upper, numbered] }],
    ],
    [
      'text taller than the screen and off its top',
      10,
      2,
      [
        { type: 'write', x: 0, y: 1, text: 'a\nb\nc', transformers: [] },
        { type: 'write', x: 0, y: -1, text: 'x\ny', transformers: [] },
      ],
    ],
    [
      'text wider than the screen',
      5,
      1,
      [{ type: 'write', x: 2, y: 0, text: green('overflowing'), transformers: [] }],
    ],
    ['a hyperlink', 30, 1, [{ type: 'write', x: 0, y: 0, text: link('docs'), transformers: [] }]],
    [
      'clips: horizontal, vertical, nested, and writes outside them',
      30,
      6,
      [
        { type: 'clip', clip: { x1: 2, x2: 8, y1: 1, y2: 4 } },
        {
          type: 'write',
          x: 0,
          y: 0,
          text: `${green('0123456789')}\n${bold('abcdefghij')}\nklmnopqrst\nuvwxyz`,
          transformers: [],
        },
        { type: 'write', x: 20, y: 2, text: 'outside right', transformers: [] },
        { type: 'write', x: 0, y: 5, text: 'below', transformers: [] },
        { type: 'clip', clip: { x1: undefined, x2: undefined, y1: 2, y2: 3 } },
        { type: 'write', x: 3, y: 1, text: 'v1\nv2\nv3', transformers: [numbered] },
        { type: 'unclip' },
        { type: 'write', x: 4, y: 3, text: '漢字漢字', transformers: [] },
        { type: 'unclip' },
        { type: 'write', x: 0, y: 5, text: dim('after the clips'), transformers: [] },
      ],
    ],
  ];
  for (const [name, width, height, operations] of cases) {
    const expected = compose('ink', width, height, operations);
    t.deepEqual(compose('cached', width, height, operations), expected, `${name} (first)`);
    t.deepEqual(compose('cached', width, height, operations), expected, `${name} (cached)`);
  }
});

test('seeded random screens give Ink’s output, with rows repeating between frames', (t) => {
  if (!getters) return t.fail('no getters');
  let seed = 12345;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const pieces = ['BTC-USD', '+1.2%', '−0.8', '漢', '🚀', '▸', ' ', '1,234', 'ep 4/10'];
  const styles = [(s: string) => s, green, bold, dim, inverse, rgb];
  const fragment = () =>
    pick(styles)(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(pieces)).join(''));
  let mismatches = 0;
  let previous: Operation[] = [];
  for (let frame = 0; frame < 300; frame++) {
    // Half the operations carry over from the frame before, as most of a dashboard's lines do.
    const operations: Operation[] = previous.filter(() => random() < 0.5);
    for (let i = 0; i < 12; i++) {
      if (random() < 0.15)
        operations.push({
          type: 'clip',
          clip: {
            x1: Math.floor(random() * 10),
            x2: 20 + Math.floor(random() * 30),
            y1: Math.floor(random() * 5),
            y2: 5 + Math.floor(random() * 10),
          },
        });
      const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, fragment).join('\n');
      operations.push({
        type: 'write',
        x: Math.floor(random() * 45) - 2,
        y: Math.floor(random() * 14) - 1,
        text: lines,
        transformers: random() < 0.2 ? [upper] : [],
      });
    }
    while (
      operations.filter((o) => o.type === 'clip').length >
        operations.filter((o) => o.type === 'unclip').length &&
      random() < 0.7
    )
      operations.push({ type: 'unclip' });
    const expected = compose('ink', 48, 12, operations);
    const actual = compose('cached', 48, 12, operations);
    if (actual.output !== expected.output || actual.height !== expected.height) mismatches++;
    previous = operations;
  }
  t.is(mismatches, 0);
});

/** Renders the fleet dashboard with every frame composed both ways, through key presses that change it. */
test('real dashboard frames at fleet size, in colour, through views and keys, are Ink’s own', async (t) => {
  if (!getters) return t.fail('no getters');
  let frames = 0;
  const differing: string[] = [];
  const { firstFrame } = await drawFleetDashboard(
    t,
    {
      workers: 256,
      jobs: 2_000,
      batches: 40,
      batchSeconds: 0.15,
      keys: [KEYS.down, KEYS.down, 'l', '?', KEYS.escape, 't', KEYS.down, 't', KEYS.up, 'l'],
      endSize: { columns: 80, rows: 24 },
    },
    ({ ink, cached }) =>
      function both(this: ThisParameterType<typeof ink>) {
        const expected = ink.call(this);
        const actual = cached.call(this);
        frames++;
        if (actual.output !== expected.output) differing.push(`frame ${frames}`);
        return expected;
      },
  );
  t.true(firstFrame.includes('\u001B['), 'the frames are in colour');
  t.true(frames > 40, `${frames} frames composed`);
  t.deepEqual(differing, []);
});
