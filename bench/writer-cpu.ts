// The writer thread's own work per payment, without storage or the event loop: on the BRICS demo
// network, quote + instant cross-border payment pairs (and quote + two-phase payment + accept)
// applied in batches of PAIRS_PER_BATCH through networkMachine().applyBatch (engine apply and the
// journal payload's encoding) and chainEntry (its hash), exactly as the commit pipeline does,
// then the journal those batches wrote replayed into a fresh engine as recoverNetwork does
// (decode, apply, check the hash link); and a journal of domestic instant payments (the
// restart bench's workload and retention), written and replayed the same way. Main-thread CPU
// µs per pair and per replayed payment, best of ROUNDS (WORKLOADS=instant,two_phase,domestic
// picks some). Run: node --import tsx bench/writer-cpu.ts [pairs].
// Figures: docs/architecture.md, "Writer CPU per payment".
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { NetworkCommand } from '../src/engine/commands.js';
import { decodeNetworkEntry } from '../src/engine/codec.js';
import { NetworkEngine } from '../src/engine/engine.js';
import { paymentKey } from '../src/engine/payments/ids.js';
import { chainEntry, checkLink, type JournalEntry } from '../src/journal/hash-chain.js';
import { configToCommands } from '../src/service/config.js';
import type { NetworkConfigFile } from '../src/service/config-schema.js';
import { demoNetworkConfig } from '../src/service/demo.js';
import { defaultUetr, networkMachine } from '../src/service/service.js';
import { testNetworkConfig, TEST_EPOCH } from '../src/testing/network-fixtures.js';
import { corridors, type Corridor } from './_payments.js';

const PAIRS = Number(process.argv[2] ?? '40000');
const PAIRS_PER_BATCH = 512;
const ROUNDS = Number(process.env['ROUNDS'] ?? '3');
/** Some of instant, two_phase, domestic (default: all). */
const ONLY = process.env['WORKLOADS']?.split(',');
const runs = (name: string): boolean => ONLY === undefined || ONLY.includes(name);

/** CPU seconds of this (the main) thread so far, from /proc (falls back to the process's). */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
}

interface Journal {
  readonly entries: JournalEntry[];
  readonly writeCpu: number;
}

/** Applies `batches` after the configuration, as the pipeline does; answers its journal. */
function write(configure: NetworkCommand[], batches: (engine: NetworkEngine) =>
  Iterable<NetworkCommand[]>, now: number, stepMs = 1): Journal {
  const engine = new NetworkEngine();
  const machine = networkMachine(engine);
  const entries: JournalEntry[] = [];
  let tail: JournalEntry | undefined;
  const append = (commands: readonly NetworkCommand[], at: number): void => {
    const { results, batch } = machine.applyBatch(commands, at);
    const refused = results.find((result) => result.code !== 'ok');
    if (refused !== undefined) throw new Error(`writer bench: ${JSON.stringify(refused)}`);
    if (batch.payload !== null) {
      tail = chainEntry(tail, at, batch.payload);
      entries.push(tail);
    }
  };
  append(configure, now);
  const started = mainThreadCpu();
  let batchNow = now;
  for (const commands of batches(engine)) append(commands, (batchNow += stepMs));
  return { entries, writeCpu: mainThreadCpu() - started };
}

/** Replays `journal` into a fresh engine as recoverNetwork does; answers the CPU seconds. */
function replay(journal: Journal): number {
  const engine = new NetworkEngine();
  const started = mainThreadCpu();
  let tail: JournalEntry | undefined;
  for (const entry of journal.entries) {
    const problem = checkLink(tail, entry);
    if (problem !== undefined) throw new Error(`writer bench: ${problem.code}`);
    const { commands, ids } = decodeNetworkEntry(entry.payload);
    engine.apply(commands, entry.now, ids);
    tail = entry;
  }
  const spent = mainThreadCpu() - started;
  engine.checkAllInvariants();
  return spent;
}

const PARTIES = {
  debtor: { name: 'Bench Exporter Ltda', account: 'BR1800000000000000000000001' },
  creditor: { name: 'Bench Importer Pvt Ltd', account: 'IN00001234567890' },
} as const;

function payment(actor: string, id: string, fields: Record<string, unknown>,
  receivedAt: number): NetworkCommand {
  return {
    type: 'create_payment', actor, receivedAt, screening: { hit: false, matches: [] },
    payment: { id, uetr: defaultUetr(actor, id), debtorAgent: actor, ...PARTIES,
      endToEndId: `E2E-${id}`, purpose: 'GDDS', ...fields } as never,
  };
}

/** Quote + pay (+ accept) pairs in batches: the quotes of a slice, then their payments. */
function* pairBatches(list: readonly Corridor[], twoPhase: boolean, now: number) {
  for (let first = 0; first < list.length; first += PAIRS_PER_BATCH) {
    const slice = list.slice(first, first + PAIRS_PER_BATCH);
    yield slice.map((corridor, index): NetworkCommand => ({
      type: 'create_quote', actor: corridor.debtor.id, quoteId: `qt_${first + index}`,
      source: corridor.debtor.currency, target: corridor.creditor.currency, fixed: 'send',
      amount: corridor.amount,
    }));
    yield slice.map((corridor, index) => payment(corridor.debtor.id, `pmt_${first + index}`,
      { mode: twoPhase ? 'two_phase' : 'instant', creditorAgent: corridor.creditor.id,
        quoteId: `qt_${first + index}` }, now));
    if (twoPhase) {
      yield slice.map((corridor, index): NetworkCommand => ({
        type: 'accept_payment', actor: corridor.creditor.id,
        paymentId: paymentKey('scoped', corridor.debtor.id, `pmt_${first + index}`),
      }));
    }
  }
}

/**
 * Domestic instant payments between the test network's two BRL banks, with the restart bench's
 * retention (bench/_restart.ts: in full for 1 hour, compact for the 1-day return window) and
 * daily volume (27,397 a day), so that payments are compacted (and, in runs over a simulated
 * day, forgotten) as there.
 */
const DOMESTIC_STEP_MS = Math.round((86_400_000 * PAIRS_PER_BATCH) / 27_397);

function restartConfig(): NetworkConfigFile {
  const config = testNetworkConfig();
  return { ...config, settings: { ...config.settings, paymentRetentionDays: 1 / 24,
    returnWindowDays: 1, uetrRetentionDays: 1 } };
}

function* domesticBatches(count: number, now: number) {
  for (let first = 0; first < count; first += PAIRS_PER_BATCH) {
    const commands: NetworkCommand[] = [];
    for (let index = first; index < Math.min(count, first + PAIRS_PER_BATCH); index++) {
      const even = index % 2 === 0;
      commands.push(payment(even ? 'br-bank' : 'br-other', `p${index}`, { mode: 'instant',
        creditorAgent: even ? 'br-other' : 'br-bank', currency: 'BRL', amount: 1n,
        remittanceInformation: 'Invoice 2026-0042' }, now));
    }
    yield commands;
  }
}

function best(values: number[]): number {
  return Math.min(...values);
}

const now = TEST_EPOCH;
const demo = configToCommands(demoNetworkConfig('benchmark'), now);
const test = configToCommands(restartConfig(), now);
const load = [loadavg()[0] ?? 0];
const figures: Record<string, number[]> = {};
const note = (name: string, value: number): void => {
  (figures[name] ??= []).push(value);
};
for (let round = 0; round < ROUNDS; round++) {
  if (runs('instant')) {
    const instant = write(demo, () => pairBatches(corridors(PAIRS, 1), false, now), now);
    note('instant_write_us_per_pair', (instant.writeCpu * 1e6) / PAIRS);
    note('instant_replay_us_per_pair', (replay(instant) * 1e6) / PAIRS);
  }
  if (runs('two_phase')) {
    const twoPhase = write(demo, () => pairBatches(corridors(PAIRS, 2), true, now), now);
    note('two_phase_write_us_per_pair', (twoPhase.writeCpu * 1e6) / PAIRS);
    note('two_phase_replay_us_per_pair', (replay(twoPhase) * 1e6) / PAIRS);
  }
  if (runs('domestic')) {
    const domestic = write(test, () => domesticBatches(PAIRS, now), now, DOMESTIC_STEP_MS);
    note('domestic_write_us_per_payment', (domestic.writeCpu * 1e6) / PAIRS);
    note('domestic_replay_us_per_payment', (replay(domestic) * 1e6) / PAIRS);
  }
}
load.push(loadavg()[0] ?? 0);
for (const [name, values] of Object.entries(figures)) {
  console.log(`${name.padEnd(32)} ${best(values).toFixed(1).padStart(7)} µs` +
    `  (rounds: ${values.map((value) => value.toFixed(1)).join(', ')})`);
}
console.log(`pairs ${PAIRS}, batches of ${PAIRS_PER_BATCH}, load ${load.map((value) =>
  value.toFixed(2)).join(' → ')}`);
