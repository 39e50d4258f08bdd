// API keys: "ck_<keyId>_<secret>". The secret is 32 random bytes shown once; the network keeps
// only its SHA-256 (a high-entropy secret needs no slow hash), compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '../engine/keys.js';

export interface IssuedKey {
  readonly keyId: string;
  readonly hash: string;
  /** The full key, to show once and never store. */
  readonly key: string;
}

const KEY_FORMAT = /^ck_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function issueKey(): IssuedKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, hash: hashSecret(secret), key: `ck_${keyId}_${secret}` };
}

/** The key record a presented key proves, or undefined (unknown, revoked or wrong secret). */
export function verifyKey(
  presented: string,
  lookup: (keyId: string) => ApiKeyRecord | undefined,
): ApiKeyRecord | undefined {
  const match = KEY_FORMAT.exec(presented);
  if (match === null) return undefined;
  const record = lookup(match[1] ?? '');
  if (record === undefined || record.revokedAt !== undefined) return undefined;
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashSecret(match[2] ?? ''), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual)
    ? record
    : undefined;
}
