// The REST API's JSON shapes, as the page reads them (src/api/views.ts is the source of truth).
// Every amount is an exact decimal string with its currency.

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export type Kind = 'operator' | 'central_bank' | 'bank' | 'fx_provider';

export interface Participant {
  readonly id: string;
  readonly name: string;
  readonly kind: Kind;
  readonly country: string;
  readonly bic?: string;
  readonly currencies: readonly string[];
  readonly status: 'active' | 'suspended';
}

export interface Currency {
  readonly code: string;
  readonly issuer: string;
  readonly paymentAmountMax: string;
  readonly dailyOutflowMax: string;
  readonly schemeFee: string;
  readonly supply: string;
}

export interface Status {
  readonly network: {
    readonly participants: number;
    readonly currencies: number;
    readonly payments: number;
    readonly accounts: number;
    readonly transfers: number;
    readonly pending: number;
  };
  readonly journal: { readonly sequence: number; readonly hash: string | null };
  readonly queueDepth: number;
  readonly uptimeSeconds: number;
  readonly store: string;
  readonly you: {
    readonly id: string;
    readonly kind: Kind;
    readonly status: string;
    readonly issues: readonly string[];
  };
}

export interface Fee extends Money {
  readonly kind: 'scheme' | 'fx_provider';
  readonly payee: string;
}

export interface Quote {
  readonly id: string;
  readonly debtorAgent: string;
  readonly fxProvider: string;
  readonly sourceCurrency: string;
  readonly targetCurrency: string;
  readonly fixed: 'send' | 'receive';
  readonly rate: string;
  readonly midRate: string;
  readonly spreadBps: number;
  readonly sendAmount: Money;
  readonly creditAmount: Money;
  readonly fees: readonly Fee[];
  readonly debitAmount: Money;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly used: boolean;
}

export type PaymentStatus = 'ACTC' | 'ACSP' | 'BLCK' | 'ACSC' | 'ACCC' | 'RJCT';

export interface Party {
  readonly name: string;
  readonly account?: string;
  readonly country?: string;
}

export interface Leg extends Money {
  readonly transferId: string;
  readonly role: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
}

export interface ScreeningMatch {
  readonly party: 'debtor' | 'creditor';
  readonly source: string;
  readonly listId: string;
  readonly matchedName: string;
  readonly score: number;
}

export interface PaymentEvent {
  readonly status: PaymentStatus;
  readonly reason?: string;
  readonly detail?: string;
  readonly at: string;
}

export interface Payment {
  /** The id the viewer knows it by: its own id if it sent it, else the network id. */
  readonly id: string;
  /** The same for every viewer, and what events name it by: use it to match and link. */
  readonly networkId: string;
  readonly kind: 'payment' | 'return';
  readonly mode: 'instant' | 'two_phase';
  readonly status: PaymentStatus;
  readonly reason?: string;
  readonly detail?: string;
  readonly debtorAgent: string;
  readonly creditorAgent: string;
  readonly debtor: Party;
  readonly creditor: Party;
  readonly sendAmount: Money;
  readonly creditAmount: Money;
  readonly debitAmount: Money;
  readonly fees: readonly Fee[];
  readonly quoteId?: string;
  readonly fxProvider?: string;
  readonly rate?: string;
  /** The quote's mid rate, what the spread is measured against. */
  readonly midRate?: string;
  /** FX spread against the mid rate plus fees, in basis points of the value debited. */
  readonly costBps?: number;
  readonly purpose?: string;
  readonly remittanceInformation?: string;
  readonly endToEndId: string;
  readonly uetr: string;
  readonly legs: readonly Leg[];
  readonly returnOf?: string;
  readonly returnReason?: string;
  readonly returns: readonly string[];
  readonly returnedAmount: Money;
  readonly screening?: {
    readonly hit: boolean;
    readonly matches: readonly ScreeningMatch[];
    readonly listVersion?: string;
  };
  readonly events: readonly PaymentEvent[];
  /** When the request arrived: time to credit runs from here. */
  readonly receivedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PaymentPage {
  readonly payments: readonly Payment[];
  readonly next: string | null;
}
