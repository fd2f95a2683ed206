import { compileWordPolicy } from './word/word-policy.js';
let seed = 42;
const random = () => { seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0; return seed / 2 ** 32; };
const word = () => Array.from({ length: 4 + Math.floor(random() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
const entries = new Set<string>();
while (entries.size < 10_000) entries.add(random() < 0.2 ? `${word()} ${word()}` : word());
let t0 = performance.now();
const policy = compileWordPolicy({ wordsConfig: [...entries].map((text) => ({ text })), managedWordListsConfig: [{ type: 'PROFANITY' }] });
console.log('compile', performance.now() - t0);
const vocabulary = 'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when what if more no out so said will about'.split(' ');
const texts = Array.from({ length: 3000 }, () => { let t = ''; while (t.length < 1024) t += vocabulary[Math.floor(random() * vocabulary.length)] + ' '; return t.slice(0, 1024); });
for (let round = 0; round < 3; round++) {
const times = texts.map((t) => { const s = performance.now(); policy.check(t, 'INPUT'); return performance.now() - s; }).sort((a, b) => a - b);
console.log('p50', times[1500].toFixed(3), 'p90', times[2700].toFixed(3), 'p99', times[2970].toFixed(3), 'max', times[2999].toFixed(3));
}
const cpu = texts.map((t) => { const s = process.cpuUsage(); policy.check(t, 'INPUT'); const d = process.cpuUsage(s); return (d.user + d.system) / 1000; }).sort((a, b) => a - b);
console.log('cpu p50', cpu[1500].toFixed(3), 'p90', cpu[2700].toFixed(3), 'p99', cpu[2970].toFixed(3), 'max', cpu[2999].toFixed(3));
