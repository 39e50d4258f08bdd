// Proves that the journal encoding of network commands is unchanged by the faster encoder:
// byte for byte the text a bigint replacer gives, so entries written before and after it
// decode alike, and that entries of both shapes (scoped, and the bare array of global ids)
// decode to the commands that were written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeNetworkEntry, encodeNetworkCommands } from './codec.js';
import type { NetworkCommand } from './commands.js';

/** The encoding as it was first written: JSON.stringify with a bigint replacer. */
function replacerEncoding(commands: readonly NetworkCommand[]): string {
  return JSON.stringify({ ids: 'scoped', commands }, (_key, value: unknown) =>
    (typeof value === 'bigint' ? { $n: value.toString() } : value));
}

const COMMANDS: NetworkCommand[] = [
  { type: 'create_quote', actor: 'bank-a', quoteId: 'q-1', source: 'BRL', target: 'INR',
    fixed: 'send', amount: 123_456n },
  { type: 'create_quote', actor: 'bank-a', quoteId: 'q-2', source: 'BRL', target: 'INR',
    fixed: 'receive', amount: 0n, feesIncluded: 'all' },
  { type: 'create_payment', actor: 'bank-a', receivedAt: 1_790_000_000_000,
    screening: { hit: false } as never,
    payment: { id: 'p-1', mode: 'instant', debtorAgent: 'bank-a', creditorAgent: 'bank-b',
      debtor: { name: 'A "quoted" {"$n":"1"} name', account: 'BR18' },
      creditor: { name: 'Ünïcode ₹ name\n', account: 'IN00' }, quoteId: 'q-1',
      amount: undefined, currency: 'INR', endToEndId: 'E2E-1', uetr: 'u-1', purpose: 'GDDS' } },
  { type: 'create_payment', actor: 'bank-a', screening: { hit: false } as never,
    payment: { id: 'p-2', mode: 'two_phase', debtorAgent: 'bank-a', creditorAgent: 'bank-b',
      debtor: { name: 'D', account: '1' }, creditor: { name: 'C', account: '2' },
      currency: 'BRL', amount: -(2n ** 70n), endToEndId: 'E2E-2', uetr: 'u-2' } },
  { type: 'return_payment', actor: 'bank-b', returnId: 'r-1', originalPaymentId: 'pm:00',
    amount: 5n, reason: 'AC04' as never, uetr: 'u-3' },
  { type: 'accept_payment', actor: 'bank-b', paymentId: 'pm:01' },
  // Nested and in arrays: a configure command's settings and currency rules.
  { type: 'configure', actor: 'op', settings: { operatorId: 'op' } as never,
    currencies: [
      { code: 'BRL', issuer: 'cb', rules: { schemeFee: 100n, paymentAmountMax: 0n,
        dailyOutflowMax: 10n ** 15n } },
      { code: 'INR', issuer: 'cb2', rules: { list: [1n, 'x', null, [2n]] } },
    ] as never },
];

describe('journal codec of network commands', () => {
  it('encodes byte for byte as the bigint replacer did, and shares what holds no bigint', () => {
    assert.equal(encodeNetworkCommands(COMMANDS), replacerEncoding(COMMANDS));
    for (const command of COMMANDS) {
      assert.equal(encodeNetworkCommands([command]), replacerEncoding([command]));
    }
    assert.equal(encodeNetworkCommands([]), replacerEncoding([]));
    // An own "__proto__" key holding a bigint (JSON.parse makes such keys own properties).
    const odd = JSON.parse('{"type":"issue","actor":"a","__proto__":{"x":1},"amount":0}') as
      Record<string, unknown>;
    for (const key of ['__proto__', 'amount']) {
      Object.defineProperty(odd, key, { value: 7n, enumerable: true, writable: true,
        configurable: true });
    }
    const oddText = encodeNetworkCommands([odd as never]);
    assert.equal(oddText, replacerEncoding([odd as never]));
    assert.match(oddText, /"__proto__":\{"\$n":"7"\}/);
    assert.equal(Object.getPrototypeOf(odd), Object.prototype);
    // Encoding does not change the commands it is given.
    const first = COMMANDS[0] as Extract<NetworkCommand, { type: 'create_quote' }>;
    assert.equal(first.amount, 123_456n);
  });

  it('decodes what it encodes: bigints back to bigints, user text that looks like one stays text', () => {
    const decoded = decodeNetworkEntry(encodeNetworkCommands(COMMANDS));
    assert.equal(decoded.ids, 'scoped');
    assert.deepEqual(decoded.commands, JSON.parse(JSON.stringify(COMMANDS, (_key, value: unknown) =>
      (typeof value === 'bigint' ? `BIG:${value}` : value)), (_key, value: unknown) =>
      (typeof value === 'string' && value.startsWith('BIG:') ? BigInt(value.slice(4)) : value)));
    const payment = decoded.commands[2] as Extract<NetworkCommand, { type: 'create_payment' }>;
    assert.equal(payment.payment.debtor.name, 'A "quoted" {"$n":"1"} name');
  });

  it('still decodes an entry written by the replacer encoder, and one from before scoped ids', () => {
    const written = '{"ids":"scoped","commands":[{"type":"create_quote","actor":"bank-a",' +
      '"quoteId":"q-1","source":"BRL","target":"INR","fixed":"send","amount":{"$n":"42"}}]}';
    assert.deepEqual(decodeNetworkEntry(written), { ids: 'scoped', commands: [
      { type: 'create_quote', actor: 'bank-a', quoteId: 'q-1', source: 'BRL', target: 'INR',
        fixed: 'send', amount: 42n }] });
    const legacy = '[{"type":"accept_payment","actor":"bank-b","paymentId":"p-9"}]';
    assert.deepEqual(decodeNetworkEntry(legacy), { ids: 'global', commands: [
      { type: 'accept_payment', actor: 'bank-b', paymentId: 'p-9' }] });
  });

  it('decodes exactly as the reviver decoder did, on every shape an entry may hold', () => {
    const payloads = [
      encodeNetworkCommands(COMMANDS),
      replacerEncoding(COMMANDS),
      // No bigint at all, and "$n" only as a value or inside a text.
      '{"ids":"scoped","commands":[{"type":"accept_payment","actor":"$n","paymentId":"{\\"$n\\":\\"1\\"}"}]}',
      // A wrapper of a wrapper, a wrapper with a second key, a non-string wrapper, in arrays.
      '{"ids":"scoped","commands":[{"a":{"$n":{"$n":"7"}},"b":{"$n":"1","c":2},"d":{"$n":3},' +
        '"e":[{"$n":"-9"},[{"$n":"0"}],null,{"$n":null}],"f":{"g":{"$n":"123456789012345678901234"}}}]}',
      // The key spelled with escapes, and a "__proto__" key holding a wrapper.
      '{"ids":"scoped","commands":[{"\\u0024n":"5"},{"x":{"\\u0024\\u006e":"6"}},' +
        '{"__proto__":{"$n":"8"},"y":1}]}',
      '[{"type":"accept_payment","actor":"bank-b","amount":{"$n":"4"}}]',
    ];
    for (const payload of payloads) {
      const viaReviver = reviverDecoding(payload);
      const decoded = decodeNetworkEntry(payload);
      assert.deepEqual(decoded.commands, viaReviver);
      // deepEqual does not compare own "__proto__" properties the same way: compare the texts.
      assert.equal(stableText(decoded.commands), stableText(viaReviver));
    }
    assert.throws(() => decodeNetworkEntry('{"ids":"scoped","commands":[{"$n":"x1"}]}'),
      SyntaxError);
  });
});

/** The decoder as it was first written: JSON.parse with a reviver. */
function reviverDecoding(payload: string): unknown {
  const parsed: unknown = JSON.parse(payload, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === '$n' && typeof record['$n'] === 'string') {
        return BigInt(record['$n']);
      }
    }
    return value;
  });
  return Array.isArray(parsed) ? parsed : (parsed as { commands: unknown }).commands;
}

function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    (typeof item === 'bigint' ? `${item}n` : item));
}
