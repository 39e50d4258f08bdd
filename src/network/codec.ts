// Journal encoding of network commands: JSON, with bigints wrapped as {"$n":"123"} so that no
// user text (a name, a remittance line) can ever be mistaken for a number on replay.
import type { NetworkCommand } from './commands.js';

const BIG = '$n';

export function encodeNetworkCommands(commands: readonly NetworkCommand[]): string {
  return JSON.stringify(commands, (_key, value: unknown) =>
    (typeof value === 'bigint' ? { [BIG]: value.toString() } : value));
}

export function decodeNetworkCommands(payload: string): NetworkCommand[] {
  const parsed: unknown = JSON.parse(payload, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === BIG && typeof record[BIG] === 'string') return BigInt(record[BIG]);
    }
    return value;
  });
  if (!Array.isArray(parsed)) throw new Error('decodeNetworkCommands: payload is not an array');
  return parsed as NetworkCommand[];
}
