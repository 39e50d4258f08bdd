// API keys as network state: the journal records each key's id, owner and SHA-256 hash (never
// the secret), so that every copy of the network, standby or central bank, knows the same keys.
import type { NetworkCommand, NetworkResult } from './commands.js';
import { refuse, type BatchContext, type NetworkState } from './state.js';

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly participantId: string;
  /** Hex SHA-256 of the secret part of the key. */
  readonly hash: string;
  readonly label: string;
  readonly createdAt: number;
  revokedAt?: number;
}

export const API_KEY_LIMITS = { keysPerParticipantMax: 20, labelLengthMax: 64 } as const;
const KEY_ID = /^[a-z0-9]{8,32}$/;
const HASH = /^[0-9a-f]{64}$/;

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

export function createApiKey(
  state: NetworkState,
  command: Of<'create_api_key'>,
  context: BatchContext,
): NetworkResult {
  const owner = state.participants.get(command.participantId);
  if (owner === undefined)
    return refuse(
      'participant_not_found',
      `No participant ${command.participantId}.`,
      'participantId',
    );
  if (command.actor !== state.settings.operatorId && command.actor !== command.participantId) {
    return refuse(
      'not_authorized',
      'Only the operator or the participant itself creates its keys.',
    );
  }
  if (
    !KEY_ID.test(command.keyId) ||
    !HASH.test(command.hash) ||
    command.label.length > API_KEY_LIMITS.labelLengthMax
  ) {
    return refuse('invalid_field', 'The key id, hash or label is malformed.', 'keyId');
  }
  const existing = state.apiKeys.get(command.keyId);
  if (existing !== undefined) {
    return existing.hash === command.hash && existing.participantId === command.participantId
      ? { code: 'ok', replayed: true }
      : refuse('exists_with_different_fields', 'The key id exists.', 'keyId');
  }
  const live = [...state.apiKeys.values()].filter(
    (key) => key.participantId === command.participantId && key.revokedAt === undefined,
  ).length;
  if (live >= API_KEY_LIMITS.keysPerParticipantMax) {
    return refuse(
      'invalid_field',
      'The participant has the most live keys allowed; revoke one first.',
      'participantId',
    );
  }
  state.apiKeys.set(command.keyId, {
    keyId: command.keyId,
    participantId: command.participantId,
    hash: command.hash,
    label: command.label,
    createdAt: context.now,
  });
  return { code: 'ok' };
}

export function revokeApiKey(
  state: NetworkState,
  command: Of<'revoke_api_key'>,
  context: BatchContext,
): NetworkResult {
  const key = state.apiKeys.get(command.keyId);
  if (
    key === undefined ||
    (command.actor !== state.settings.operatorId && command.actor !== key.participantId)
  ) {
    return refuse('not_found', `No key ${command.keyId} for you.`, 'keyId');
  }
  if (key.revokedAt !== undefined) return { code: 'ok', replayed: true };
  key.revokedAt = context.now;
  return { code: 'ok' };
}
