// State benchmarks (issue 12): `restart` (bench/_restart.ts): start to ready after 10 million
// journaled payments with a snapshot at most SNAPSHOT_EVERY entries old, beside the time to
// replay the same journal from genesis. Writes bench/results/state.json, merging records by
// name (other records of the file, such as `soak`, are kept). BENCH_SCALE=0.01 shrinks it.
import { restartRecord } from './_restart.js';
import { writeResults } from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const PAYMENTS = Math.max(10_000, Math.round(10_000_000 * SCALE));

const restart = await restartRecord(PAYMENTS);
console.log(JSON.stringify(restart, null, 2));
writeResults('state', [restart]);
