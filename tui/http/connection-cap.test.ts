import test from 'ava';
import { connectionCap, descriptorLimit } from './connection-cap.js';

const limits = (soft: string) =>
  `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${soft}                 1048576              files     \n`;

test('descriptorLimit reads the soft limit of open files', (t) => {
  t.is(descriptorLimit(limits('1024')), 1024);
  t.is(descriptorLimit(limits('unlimited')), Number.POSITIVE_INFINITY);
  t.is(descriptorLimit('nothing here'), null);
  const own = descriptorLimit();
  t.true(own === null || own > 0);
});

test('connectionCap leaves a reserve and half the rest, within 16–512', (t) => {
  t.is(connectionCap(1024), 384);
  t.is(connectionCap(512), 128);
  t.is(connectionCap(256), 16);
  t.is(connectionCap(1_048_576), 512);
  t.is(connectionCap(Number.POSITIVE_INFINITY), 512);
  t.is(connectionCap(null), 384);
});
