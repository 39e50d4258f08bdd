import { syntheticEntries } from './benchmark.ts';
import { createSanctionsScreener } from './screener.ts';
const entries = syntheticEntries(20000);
const s = createSanctionsScreener(); s.load(entries);
const names = entries.slice(0, 3000).map((e, i) => i % 2 ? e.aliases[1]! + ' X' : e.primaryName.slice(0, 3) + e.primaryName.slice(4));
const d: [number, string][] = [];
for (const n of names) { const t = performance.now(); s.screen([n]); d.push([performance.now() - t, n]); }
d.sort((a, b) => b[0] - a[0]);
console.log(d.slice(0, 8).map(([t, n]) => t.toFixed(2) + 'ms ' + n));
for (const [, n] of d.slice(0, 5)) { const t = performance.now(); const r = s.screen([n]); console.log('again', (performance.now() - t).toFixed(2), n, r.ok && r.matches.length); }
