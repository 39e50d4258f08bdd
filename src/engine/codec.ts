// Journal encoding of network commands: JSON, with bigints wrapped as {"$n":"123"} so that no
// user text (a name, a remittance line) can ever be mistaken for a number on replay. An entry
// is {"ids":"scoped","commands":[…]}; entries written before ids were scoped per participant
// are a bare array, and replay with the global ids they were accepted under.
import type { IdScheme } from './payments/ids.js';
import type { NetworkCommand } from './commands.js';

const BIG = '$n';

export interface DecodedEntry {
  readonly commands: NetworkCommand[];
  readonly ids: IdScheme;
}

/**
 * `value` with every bigint replaced by {"$n": "…"}, copying only the objects and arrays on the
 * way to a bigint (the rest is shared, not copied). JSON.stringify of the result is the very
 * text a bigint replacer would give (same keys, same order), at a third of the cost: a replacer
 * is a function call for every key of every command.
 */
function wrapBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return { [BIG]: value.toString() };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const wrapped = wrapBigints(item);
      if (wrapped !== item && copy === undefined) copy = value.slice(0, index) as unknown[];
      if (copy !== undefined) copy.push(wrapped);
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const wrapped = wrapBigints(item);
    if (wrapped !== item) {
      copy ??= { ...record };
      // An assignment sets the copy's own property (the spread made every key, "__proto__"
      // too, an own data property): no setter runs.
      copy[key] = wrapped;
    }
  }
  return copy ?? value;
}

export function encodeNetworkCommands(commands: readonly NetworkCommand[]): string {
  return JSON.stringify({ ids: 'scoped', commands: wrapBigints(commands) });
}

/**
 * `value` (parsed JSON, mutated in place) with every {"$n": "…"} object, and only such an
 * object (one key, a string), replaced by its bigint, innermost first: exactly what a reviver
 * doing that check would give, at a fraction of the cost (a reviver is a call from the parser
 * into JavaScript for every key of every command).
 */
function unwrapBigints(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item !== null && typeof item === 'object') value[index] = unwrapBigints(item);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  let keys = 0;
  let only = false;
  for (const key in record) {
    keys += 1;
    only = key === BIG;
    const item = record[key];
    if (item === null || typeof item !== 'object') continue;
    const unwrapped = unwrapBigints(item);
    if (unwrapped === item) continue;
    // Defined, not assigned: a "__proto__" key from JSON.parse is an own property, not the setter.
    Object.defineProperty(record, key, { value: unwrapped, enumerable: true, writable: true,
      configurable: true });
  }
  if (keys === 1 && only && typeof record[BIG] === 'string') return BigInt(record[BIG]);
  return record;
}

export function decodeNetworkEntry(payload: string): DecodedEntry {
  // JSON.stringify (the only writer of entries) never escapes "$" or "n": without the key's
  // text (or any \u escape that could spell it) in the payload, there is nothing to unwrap.
  const wrapped = payload.includes(`"${BIG}"`) || payload.includes('\\u');
  const parsed: unknown = wrapped ? unwrapBigints(JSON.parse(payload)) : JSON.parse(payload);
  if (Array.isArray(parsed)) return { commands: parsed as NetworkCommand[], ids: 'global' };
  const entry = parsed as { ids?: unknown; commands?: unknown } | null;
  if (entry === null || typeof entry !== 'object' || entry.ids !== 'scoped' || !Array.isArray(entry.commands)) {
    throw new Error('decodeNetworkEntry: payload is not a network journal entry');
  }
  return { commands: entry.commands as NetworkCommand[], ids: 'scoped' };
}

/** The commands of an entry, whichever its id scheme (for readers that do not apply them). */
export function decodeNetworkCommands(payload: string): NetworkCommand[] {
  return decodeNetworkEntry(payload).commands;
}
