// A year of intra-BRICS trade at scale 1 through every available regime, the real engine
// included, in simulated time (docs/simulation.md). Records simulate_year in
// bench/results/simulate.json: payments per second of wall time over the whole run (flows,
// the two models, the engine with its invariants checked after every batch, the report).
// With SIMULATE_OUT=dir it also writes the report files there.
import { loadavg } from 'node:os';
import { record, writeResults } from './_common.js';
import { writeReport } from '../src/simulate/output.js';
import { runSimulation } from '../src/simulate/simulate.js';

const loadBefore = loadavg()[0] ?? 0;
let peakRss = process.memoryUsage().rss;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const report = await runSimulation({
  year: 2024,
  scale: 1,
  seed: 1,
  onProgress: () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const out = process.env['SIMULATE_OUT'];
if (out !== undefined && out !== '') writeReport(report, out);
writeResults('simulate', [
  record({
    name: 'simulate_year',
    ops_per_sec: Math.round(report.payments / seconds),
    p50_ms: null,
    p99_ms: null,
    durable: false,
    rss_mb: Math.round(peakRss / 1e6),
    payments: report.payments,
    seconds: Number(seconds.toFixed(1)),
    // CPU time of this process: what the run costs when the shared machine is busy.
    cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    regimes: report.regimes.map((regime) => regime.name),
    load_average_1m_before: Number(loadBefore.toFixed(2)),
    load_average_1m_after: Number((loadavg()[0] ?? 0).toFixed(2)),
  }),
]);
