// Prints how long screening takes against a list of OFAC size; timings are reported, not asserted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScreeningBenchmark, syntheticEntries } from './benchmark.js';

describe('runScreeningBenchmark()', () => {
  it('runScreeningBenchmark() reports the average screening time against 20,000 entries', (t) => {
    const report = runScreeningBenchmark(20_000, 1_000);
    t.diagnostic(`screening one name against ${report.entries} entries: ` +
      `${report.averageMicroseconds} µs on average, median ${report.medianMicroseconds} µs, ` +
      `99th percentile ${report.p99Microseconds} µs; ${report.hits} hits in ` +
      `${report.screenings} screenings; list load ${report.loadMilliseconds} ms; ` +
      `reference loop ${report.referenceLoopMilliseconds} ms`);
    // Half the screened names are listed names with one letter removed.
    assert.ok(report.hits >= report.screenings / 2 * 0.9);
  });

  it('syntheticEntries() builds the same list on every run', () => {
    assert.deepEqual(syntheticEntries(3), syntheticEntries(3));
  });
});
