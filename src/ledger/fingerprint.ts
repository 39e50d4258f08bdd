// A 53-bit fingerprint of a transfer's fields. The engine keeps only this for finished
// transfers, so that idempotency checks cost ~30 bytes per transfer instead of a full copy.
// A false "same fields" needs a 2^-53 collision on a retried id: accepted, and documented.
import type { TransferSpec } from './types.js';

const SEPARATOR = 0x1f;

function mix(text: string, seedHigh: number, seedLow: number): [number, number] {
  let high = seedHigh;
  let low = seedLow;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code ^ (low >>> 15), 0x5bd1e995);
  }
  low = Math.imul(low ^ SEPARATOR, 0x01000193);
  high = Math.imul(high ^ SEPARATOR ^ (low >>> 13), 0x5bd1e995);
  return [high, low];
}

export function fingerprintTransfer(spec: TransferSpec): number {
  let state: [number, number] = [0x12345678, 0x811c9dc5 | 0];
  const fields = [
    spec.kind, spec.debitAccountId, spec.creditAccountId, spec.amount.toString(),
    spec.currency, spec.pendingId, String(spec.timeoutMs), spec.reference,
  ];
  for (const field of fields) state = mix(field, state[0], state[1]);
  // 21 bits of high and 32 of low make an exact integer below 2^53.
  return (state[0] >>> 11) * 0x1_0000_0000 + (state[1] >>> 0);
}
