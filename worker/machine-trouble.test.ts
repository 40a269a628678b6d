import test from 'ava';
import { isMachineTrouble } from './machine-trouble.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

test('full disks, exhausted descriptors and I/O errors are the machine’s trouble', (t) => {
  for (const code of ['ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EIO', 'EROFS'])
    t.true(isMachineTrouble(errno(code)), code);
  t.true(isMachineTrouble(new Error('save failed', { cause: errno('ENOSPC') })), 'wrapped');
  t.true(
    isMachineTrouble(new Error('Failed to write weights: ENOSPC: no space left on device')),
    'in the message',
  );
});

test('bad data and bugs are the job’s', (t) => {
  t.false(isMachineTrouble(errno('ENOENT')));
  t.false(isMachineTrouble(new Error('NOPE-USD: no candle file')));
  t.false(isMachineTrouble(new TypeError('x is undefined')));
  t.false(isMachineTrouble(null));
});
