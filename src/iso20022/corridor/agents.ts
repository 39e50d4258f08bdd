// Which Corridor participant an ISO 20022 agent names, and how Corridor names a participant in
// the messages it sends. The rule (docs/iso20022.md, "Agent resolution"): every identifier of
// the agent that names a participant — its BIC, its clearing member id, its other id — must
// name the same one, and at least one must.
import type { Network } from '../../service/service.js';
import type { Participant } from '../../service/domain.js';
import type { FinancialInstitution } from '../model.js';

/** The clearing system Corridor's member ids belong to (ClrSysMmbId/ClrSysId/Prtry). */
export const CORRIDOR_CLEARING_SYSTEM = 'CORRIDOR';

export type AgentResolution =
  | { readonly ok: true; readonly participant: Participant }
  | { readonly ok: false; readonly problem: 'unknown' | 'ambiguous'; readonly message: string };

/** A BIC's institution part (8 characters) and its branch ("XXX" when absent). */
function bicParts(bic: string): { institution: string; full: string } {
  const upper = bic.toUpperCase();
  const institution = upper.slice(0, 8);
  return { institution, full: upper.length === 8 ? `${upper}XXX` : upper };
}

/** BIC lookups, rebuilt whenever the participant count changes (participants are never removed). */
export class AgentDirectory {
  private size = -1;
  private readonly byFullBic = new Map<string, string>();
  private readonly byInstitution = new Map<string, string | null>();

  constructor(private readonly network: Network) {}

  private refresh(): void {
    const participants = this.network.engine.state.participants;
    if (participants.size === this.size) return;
    this.size = participants.size;
    this.byFullBic.clear();
    this.byInstitution.clear();
    for (const participant of participants.values()) {
      if (participant.bic === undefined) continue;
      const { institution, full } = bicParts(participant.bic);
      this.byFullBic.set(full, participant.id);
      // Two participants under one institution code: only a full BIC can tell them apart.
      this.byInstitution.set(
        institution,
        this.byInstitution.has(institution) ? null : participant.id,
      );
    }
  }

  private byBic(bic: string): string | undefined {
    this.refresh();
    const { institution, full } = bicParts(bic);
    return this.byFullBic.get(full) ?? this.byInstitution.get(institution) ?? undefined;
  }

  /** The participant an agent names, by the rule above. */
  resolve(agent: FinancialInstitution | undefined): AgentResolution {
    if (agent === undefined)
      return { ok: false, problem: 'unknown', message: 'The agent is missing.' };
    const candidates = new Set<string>();
    const named = (id: string | undefined): void => {
      if (id !== undefined && this.network.participant(id) !== undefined) candidates.add(id);
    };
    if (agent.bic !== undefined) named(this.byBic(agent.bic));
    named(agent.memberId);
    named(agent.other?.identification);
    const [first, ...others] = [...candidates];
    const participant = first === undefined ? undefined : this.network.participant(first);
    if (participant !== undefined && others.length === 0) return { ok: true, participant };
    const shown = describeAgent(agent);
    return others.length > 0
      ? {
          ok: false,
          problem: 'ambiguous',
          message: `The agent ${shown} names several participants.`,
        }
      : { ok: false, problem: 'unknown', message: `The agent ${shown} is not a participant.` };
  }
}

/** An agent as a short text for messages: its BIC, member id, other id or name. */
export function describeAgent(agent: FinancialInstitution): string {
  return (
    agent.bic ?? agent.memberId ?? agent.other?.identification ?? agent.name ?? '(unidentified)'
  );
}

/** How Corridor names a participant: its BIC when it has one, and always its member id. */
export function agentOf(participant: Participant): FinancialInstitution {
  return {
    ...(participant.bic === undefined ? {} : { bic: participant.bic }),
    clearingSystem: { proprietary: CORRIDOR_CLEARING_SYSTEM },
    memberId: participant.id,
  };
}

/** The agent for a participant id (the id alone when it is unknown, which cannot happen for
 * a payment's agents: participants are never removed). */
export function agentOfId(network: Network, participantId: string): FinancialInstitution {
  const participant = network.participant(participantId);
  return participant === undefined
    ? { clearingSystem: { proprietary: CORRIDOR_CLEARING_SYSTEM }, memberId: participantId }
    : agentOf(participant);
}

/** Corridor itself, as the sender of its messages: the operator participant. */
export function corridorAgent(network: Network): FinancialInstitution {
  return agentOfId(network, network.engine.state.settings.operatorId);
}
