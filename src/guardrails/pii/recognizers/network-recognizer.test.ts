import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkRecognizer } from './network-recognizer.js';

const found = (text: string, type: string) =>
  networkRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5 && c.type === type)
    .map((c) => text.slice(c.start, c.end));

test('IPv4 and IPv6 addresses; invalid octets, versions and clock times are not', () => {
  assert.deepEqual(found('client_ip = 86.121.97.248 and ::1 and 2001:db8::8a2e:370:7334', 'IP_ADDRESS'), [
    '86.121.97.248',
    '2001:db8::8a2e:370:7334',
  ]);
  assert.deepEqual(found('10.0.0.0/8', 'IP_ADDRESS'), ['10.0.0.0/8']);
  assert.deepEqual(found('999.1.1.1, 1.2.3, version 1.2.3.4, 11:34:35, 1.2.3.4.5', 'IP_ADDRESS'), []);
});

test('MAC addresses in colon, dash and Cisco dot forms', () => {
  assert.deepEqual(found('mac 00:1A:2b:3C:4d:5E, 00-1A-2B-3C-4D-5E, 001a.2b3c.4d5e', 'MAC_ADDRESS'), [
    '00:1A:2b:3C:4d:5E',
    '00-1A-2B-3C-4D-5E',
    '001a.2b3c.4d5e',
  ]);
  assert.deepEqual(found('00:1A:2B:3C:4D and 00:1A-2B:3C:4D:5E', 'MAC_ADDRESS'), []);
});

test('URLs with a scheme or www, and bare hosts on known domains, without trailing punctuation', () => {
  assert.deepEqual(found('see https://ClickPhobia.com.br/path?q=1.', 'URL'), ['https://ClickPhobia.com.br/path?q=1']);
  assert.deepEqual(found('(www.example.org)', 'URL'), ['www.example.org']);
  assert.deepEqual(found('visit example.com/docs or shop.example.de', 'URL'), ['example.com/docs', 'shop.example.de']);
  assert.deepEqual(found('run setup.py, read notes.md, e.g. this, i.e. that, Mr.Smith', 'URL'), []);
});
