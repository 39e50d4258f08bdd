// ISO 20022 gateway benchmark (npm run bench:iso): pacs.008 messages per second received by
// the gateway (not HTTP): each read safely, validated against its XSD, mapped, settled with a
// durable SQLite commit and answered with a pacs.002, many in flight. One domestic transaction
// per message, between the test network's Brazilian banks. Also the same with XSD validation
// skipped (trusted input), for comparison. Writes bench/results/iso20022.json.
// Scale with BENCH_SCALE=0.1; in flight with BENCH_CONCURRENCY.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsoGateway } from '../src/iso20022/corridor/gateway.js';
import { closeSchemaValidator } from '../src/iso20022/schema-validation.js';
import { generateCustomerCreditTransfer } from '../src/iso20022/pacs008-write.js';
import { openNetwork, type Network } from '../src/service/service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { testNetworkConfig } from '../src/testing/network-fixtures.js';
import { drive, percentile, record, writeResults, type BenchRecord } from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '256');
const MESSAGES = Math.max(200, Math.round(20_000 * SCALE));
const WARMUP = 200;
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-iso-'));
const BANKS = ['br-bank', 'br-other'] as const;

async function network(name: string): Promise<Network> {
  const config = testNetworkConfig();
  // Enough money and headroom for every message: 10.00 BRL and its 0.50 fee each.
  const issuance = config.issuance ?? [];
  for (const item of issuance)
    if (BANKS.some((bank) => bank === item.participant)) item.amount = '10000000.00';
  for (const currency of config.currencies)
    if (currency.code === 'BRL') currency.dailyOutflowMax = '0';
  const opened = await openNetwork({
    store: new SqliteStore({ path: join(directory, `${name}.db`) }),
    batchDelayMs: 1,
  });
  const results = await opened.configureFrom(config);
  const refused = results.find((result) => result.code !== 'ok');
  if (refused !== undefined)
    throw new Error(`network refused: ${refused.code} ${refused.message ?? ''}`);
  return opened;
}

/** A pacs.008.001.08 with one BRL transaction from one Brazilian bank to the other. */
function message(index: number, run: string): { sender: string; xml: string } {
  const sender = BANKS[index % 2] as string;
  const receiver = BANKS[(index + 1) % 2] as string;
  const agent = (id: string) => ({ clearingSystem: { proprietary: 'CORRIDOR' }, memberId: id });
  const generated = generateCustomerCreditTransfer({
    groupHeader: {
      messageId: `${run}-M${index}`,
      creationDateTime: '2026-11-21T09:00:00Z',
      settlementInformation: { settlementMethod: 'CLRG' },
    },
    transactions: [
      {
        instructionId: `I${index}`,
        endToEndId: `${run}-E${index}`,
        interbankSettlementAmount: { currency: 'BRL', value: 1_000n },
        chargeBearer: 'SLEV',
        debtor: { name: 'Bench Exporter Ltda', countryOfResidence: 'BR' },
        debtorAccount: { identification: { iban: 'BR1800000000000000000000001' } },
        debtorAgent: agent(sender),
        creditorAgent: agent(receiver),
        creditor: { name: 'Bench Importer Ltda' },
        creditorAccount: { identification: { other: { identification: '0001234-5' } } },
        purpose: { code: 'GDDS' },
        remittanceInformation: { unstructured: [`Invoice ${index}`] },
      },
    ],
  });
  if (!generated.ok) throw new Error(JSON.stringify(generated.errors));
  return { sender, xml: generated.message.xml };
}

async function bench(name: string, schemaValidation: 'validate' | 'skip'): Promise<BenchRecord> {
  const opened = await network(name);
  const gateway = new IsoGateway(opened, { schemaValidation });
  const messages = Array.from({ length: WARMUP + MESSAGES }, (_, index) => message(index, name));
  let failures = 0;
  const receive = async (index: number): Promise<void> => {
    const { sender, xml } = messages[index] as { sender: string; xml: string };
    const answer = await gateway.receive(xml, sender);
    if (answer.httpStatus !== 200 || !answer.xml.includes('<TxSts>ACCC</TxSts>')) failures++;
  };
  await drive(WARMUP, Math.min(CONCURRENCY, WARMUP), receive);
  const loadBefore = loadavg()[0] ?? 0;
  const { latencies, seconds } = await drive(MESSAGES, CONCURRENCY, (index) =>
    receive(WARMUP + index),
  );
  if (failures > 0) throw new Error(`${name}: ${failures} messages were not settled`);
  const result = record({
    name,
    ops_per_sec: Math.round(MESSAGES / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    messages: MESSAGES,
    transactions_per_message: 1,
    schema_validation: schemaValidation,
    concurrency: CONCURRENCY,
    store: 'sqlite',
    load_average_before: Number(loadBefore.toFixed(2)),
  });
  gateway.close();
  await opened.close();
  return result;
}

try {
  const records = [await bench('pacs008', 'validate'), await bench('pacs008_trusted', 'skip')];
  writeResults('iso20022', records);
} finally {
  await closeSchemaValidator();
  rmSync(directory, { recursive: true, force: true });
}
