// Creating API keys for participants: the network journals each key's hash, and the caller
// gets the only copy of the key itself.
import { issueKey } from './api-keys.js';
import type { NetworkCommand } from '../engine/commands.js';
import type { Network } from './service.js';

export interface ParticipantKey {
  readonly participantId: string;
  readonly keyId: string;
  readonly key: string;
}

/** Creates one key for each participant named, acting as the operator. */
export async function createKeys(network: Network, participantIds: readonly string[], label = 'initial'): Promise<ParticipantKey[]> {
  const operator = network.engine.state.settings.operatorId;
  const issued = participantIds.map((participantId) => ({ participantId, ...issueKey() }));
  const commands: NetworkCommand[] = issued.map((item) => ({ type: 'create_api_key', actor: operator,
    keyId: item.keyId, participantId: item.participantId, hash: item.hash, label }));
  const results = await network.submit(commands);
  const refused = results.findIndex((result) => result.code !== 'ok');
  if (refused >= 0) throw new Error(`createKeys: ${issued[refused]?.participantId}: ${results[refused]?.code}`);
  return issued.map(({ participantId, keyId, key }) => ({ participantId, keyId, key }));
}
