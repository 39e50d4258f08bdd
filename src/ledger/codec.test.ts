// Proves every ledger command survives the journal encoding unchanged, and malformed entries throw.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCommand, decodeCommands, encodeCommand, encodeCommands } from './codec.js';
import { AccountFlags, transferSpec, type Command, type TransferKind } from './types.js';

/** The decoder always fills `linked`; an absent flag on the way in means false. */
function normalised(command: Command): Command {
  if (command.type === 'create_transfer') return command;
  return { ...command, linked: command.linked === true };
}

function roundTrip(command: Command): Command {
  const json = JSON.stringify(encodeCommand(command));
  return decodeCommand(JSON.parse(json) as unknown[]);
}

const account: Command = {
  type: 'create_account',
  account: { id: 'bcb-brl', owner: 'BCB', currency: 'BRL', flags: AccountFlags.issuer,
    creditLimit: 0n },
};

const linkedAccount: Command = {
  type: 'create_account',
  account: { id: 'bank-a', owner: 'Bank A', currency: 'INR', flags: AccountFlags.none,
    creditLimit: 2n ** 63n - 1n },
  linked: true,
};

const creditLimit: Command = {
  type: 'set_credit_limit', accountId: 'bank-a', creditLimit: 500_000n, linked: true,
};

function transfer(kind: TransferKind, extra: Partial<Parameters<typeof transferSpec>[0]> = {}) {
  return {
    type: 'create_transfer',
    transfer: transferSpec({ id: `t-${kind}`, kind, ...extra }),
  } as const satisfies Command;
}

const transfers: readonly Command[] = [
  transfer('posted', { debitAccountId: 'a', creditAccountId: 'b', amount: 12_345n,
    currency: 'BRL', reference: 'pay-1', linked: true }),
  transfer('pending', { debitAccountId: 'a', creditAccountId: 'b', amount: 2n ** 63n - 1n,
    currency: 'INR', timeoutMs: 604_800_000 }),
  transfer('post_pending', { pendingId: 't-pending', amount: 0n }),
  transfer('post_pending', { id: 't-post-partial', pendingId: 't-pending', amount: 7n,
    debitAccountId: 'a', creditAccountId: 'b', currency: 'INR' }),
  transfer('void_pending', { pendingId: 't-pending', reference: 'cancel ✓ ünïcode' }),
];

describe('codec round trips', () => {
  it('decodeCommand(encodeCommand(c)) returns an issuer create_account unchanged', () => {
    assert.deepEqual(roundTrip(account), normalised(account));
  });

  it('decodeCommand(encodeCommand(c)) keeps a linked create_account and its credit limit', () => {
    assert.deepEqual(roundTrip(linkedAccount), linkedAccount);
  });

  it('decodeCommand(encodeCommand(c)) returns a set_credit_limit unchanged', () => {
    assert.deepEqual(roundTrip(creditLimit), creditLimit);
    const unlinked: Command = { type: 'set_credit_limit', accountId: 'x', creditLimit: 0n };
    assert.deepEqual(roundTrip(unlinked), normalised(unlinked));
  });

  for (const command of transfers) {
    const spec = command.type === 'create_transfer' ? command.transfer : undefined;
    it(`decodeCommand(encodeCommand(c)) returns a ${spec?.kind} transfer ${spec?.id} unchanged`,
      () => {
        assert.deepEqual(roundTrip(command), command);
      });
  }

  it('encodeCommand writes the positional journal format (a stored-format guard)', () => {
    assert.deepEqual(encodeCommand(account), ['a', 'bcb-brl', 'BCB', 'BRL', 1, '0', 0]);
    assert.deepEqual(encodeCommand(creditLimit), ['c', 'bank-a', '500000', 1]);
    assert.deepEqual(encodeCommand(transfers[0] as Command),
      ['t', 't-posted', 0, 'a', 'b', '12345', 'BRL', '', 0, 'pay-1', 1]);
    assert.deepEqual(encodeCommand(transfers[2] as Command),
      ['t', 't-post_pending', 2, '', '', '0', '', 't-pending', 0, '', 0]);
  });

  it('decodeCommands(encodeCommands(list)) returns the whole batch in order', () => {
    const batch = [account, linkedAccount, creditLimit, ...transfers];
    assert.deepEqual(decodeCommands(encodeCommands(batch)), batch.map(normalised));
    assert.deepEqual(decodeCommands(encodeCommands([])), []);
  });

  it('decodeCommand(encodeCommand(c)) is the identity for arbitrary commands', () => {
    const plain = { noNullPrototype: true } as const;
    const id = fc.string({ maxLength: 70 });
    const big = fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n });
    const accountArb = fc.record({
      id, owner: id, currency: fc.constantFrom('BRL', 'INR', 'USD', ''),
      flags: fc.nat({ max: 3 }), creditLimit: big,
    }, plain);
    const command: fc.Arbitrary<Command> = fc.oneof(
      fc.record({ type: fc.constant('create_account' as const), account: accountArb,
        linked: fc.boolean() }, plain),
      fc.record({ type: fc.constant('set_credit_limit' as const), accountId: id,
        creditLimit: big, linked: fc.boolean() }, plain),
      fc.record({
        type: fc.constant('create_transfer' as const),
        transfer: fc.record({
          id, kind: fc.constantFrom<TransferKind>('posted', 'pending', 'post_pending',
            'void_pending'),
          debitAccountId: id, creditAccountId: id, amount: big, currency: id, pendingId: id,
          timeoutMs: fc.maxSafeNat(), reference: id, linked: fc.boolean(),
        }, plain),
      }, plain),
    );
    fc.assert(fc.property(fc.array(command, { maxLength: 8 }), (batch) => {
      assert.deepEqual(decodeCommands(encodeCommands(batch)), batch);
    }));
  });
});

describe('codec refuses malformed journal entries', () => {
  const good = {
    a: ['a', 'id', 'owner', 'BRL', 0, '100', 0],
    c: ['c', 'id', '100', 0],
    t: ['t', 'id', 0, 'a', 'b', '100', 'BRL', '', 0, '', 0],
  } as const;

  it('decodes the well-formed entries used below (a control)', () => {
    for (const entry of Object.values(good)) assert.doesNotThrow(() => decodeCommand(entry));
  });

  it('decodeCommands throws when the payload is not JSON', () => {
    assert.throws(() => decodeCommands('[["a",'), SyntaxError);
    assert.throws(() => decodeCommands(''), SyntaxError);
  });

  it('decodeCommands throws when the payload is not an array', () => {
    assert.throws(() => decodeCommands('{"a":1}'), /not an array/);
    assert.throws(() => decodeCommands('"t"'), /not an array/);
    assert.throws(() => decodeCommands('null'), /not an array/);
  });

  it('decodeCommands throws when a command is not an array', () => {
    assert.throws(() => decodeCommands('[{"type":"create_account"}]'), /not an array/);
    assert.throws(() => decodeCommands('[["c","id","1",0], 7]'), /not an array/);
  });

  it('decodeCommand throws for an unknown or missing tag', () => {
    assert.throws(() => decodeCommand(['x', 'id']), /unknown tag/);
    assert.throws(() => decodeCommand([]), /unknown tag/);
    assert.throws(() => decodeCommand(['A', 'id', 'owner', 'BRL', 0, '100', 0]), /unknown tag/);
  });

  function replaced(entry: readonly unknown[], index: number, value: unknown): unknown[] {
    const copy = [...entry];
    copy[index] = value;
    return copy;
  }

  const cases: readonly [string, readonly unknown[]][] = [
    ['an account id that is a number', replaced(good.a, 1, 7)],
    ['an account owner that is null', replaced(good.a, 2, null)],
    ['account flags that are not an integer', replaced(good.a, 4, 1.5)],
    ['account flags written as a string', replaced(good.a, 4, '1')],
    ['a credit limit written as a number', replaced(good.a, 5, 100)],
    ['a credit limit with a decimal point', replaced(good.a, 5, '1.5')],
    ['an empty credit limit', replaced(good.a, 5, '')],
    ['a hexadecimal credit limit', replaced(good.a, 5, '0x10')],
    ['an account linked flag of 2', replaced(good.a, 6, 2)],
    ['an account entry without its linked flag', good.a.slice(0, 6)],
    ['an account entry with an extra field', [...good.a, 0]],
    ['a credit-limit change with a padded amount', replaced(good.c, 2, ' 100')],
    ['a credit-limit change with a linked flag of true', replaced(good.c, 3, true)],
    ['a truncated credit-limit change', good.c.slice(0, 2)],
    ['a transfer kind of 4', replaced(good.t, 2, 4)],
    ['a transfer kind of -1', replaced(good.t, 2, -1)],
    ['a transfer kind written as a name', replaced(good.t, 2, 'posted')],
    ['a transfer amount written as a number', replaced(good.t, 5, 100)],
    ['a transfer amount in exponent notation', replaced(good.t, 5, '1e3')],
    ['a transfer amount with a plus sign', replaced(good.t, 5, '+100')],
    ['a transfer amount with leading zeros', replaced(good.t, 5, '0100')],
    ['an empty transfer amount', replaced(good.t, 5, '')],
    ['a transfer timeout that is fractional', replaced(good.t, 8, 0.5)],
    ['a transfer timeout beyond 2^53', replaced(good.t, 8, 2 ** 53)],
    ['a transfer reference that is missing', replaced(good.t, 9, undefined)],
    ['a transfer linked flag of "1"', replaced(good.t, 10, '1')],
    ['a truncated transfer', good.t.slice(0, 10)],
  ];
  for (const [name, entry] of cases) {
    it(`decodeCommand throws for ${name}`, () => {
      assert.throws(() => decodeCommand(entry), /decodeCommand/);
    });
  }

  it('decodeCommands throws when one command of a batch is malformed', () => {
    const payload = JSON.stringify([good.a, good.c, replaced(good.t, 5, 'abc')]);
    assert.throws(() => decodeCommands(payload), /decodeCommand/);
  });
});
