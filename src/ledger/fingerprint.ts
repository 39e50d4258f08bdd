// A 53-bit fingerprint of a transfer's fields. The engine keeps only this for finished
// transfers, so that idempotency checks cost ~30 bytes per transfer instead of a full copy.
// A false "same fields" needs a 2^-53 collision on a retried id: accepted, and documented.
import type { TransferSpec } from './types.js';

const SEPARATOR = 0x1f;

// The running state of the hash, in module variables: the engine calls this once per
// transfer, and a fresh [high, low] pair per field was most of its garbage.
let high = 0;
let low = 0;

function mix(text: string): void {
  let h = high;
  let l = low;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    l = Math.imul(l ^ code, 0x01000193);
    h = Math.imul(h ^ code ^ (l >>> 15), 0x5bd1e995);
  }
  l = Math.imul(l ^ SEPARATOR, 0x01000193);
  h = Math.imul(h ^ SEPARATOR ^ (l >>> 13), 0x5bd1e995);
  high = h;
  low = l;
}

export function fingerprintTransfer(spec: TransferSpec): number {
  high = 0x12345678;
  low = 0x811c9dc5 | 0;
  mix(spec.kind);
  mix(spec.debitAccountId);
  mix(spec.creditAccountId);
  mix(spec.amount.toString());
  mix(spec.currency);
  mix(spec.pendingId);
  mix(String(spec.timeoutMs));
  mix(spec.reference);
  // 21 bits of high and 32 of low make an exact integer below 2^53.
  return (high >>> 11) * 0x1_0000_0000 + (low >>> 0);
}
