// What the API answers, declared once with TypeBox beside the request schemas (schemas.ts):
// Fastify serialises every response with these schemas, /openapi.json documents them, and the
// TypeScript client and the dashboard take their types from them (Static<typeof …>), so no
// copy of a shape is kept by hand. A field a view adds is one line here; contract.test.ts fails
// when a view sends a field that is not declared (the serialiser would drop it silently).
// Only TypeBox is imported: the dashboard's Vite build reads the types of this file.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC.' });
const Decimal = Type.String({ description: 'A decimal amount in major units, such as "1500.00".' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of `values`: a string enum in the document, a union of literals in TypeScript. */
const Literals = <const T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const PAYMENT_STATUSES = ['ACTC', 'ACSP', 'BLCK', 'ACSC', 'ACCC', 'RJCT'] as const;

export const MoneyView = Type.Object({ amount: Decimal, currency: Type.String() });
export const FeeView = Type.Object({
  kind: Literals(['scheme', 'fx_provider']),
  payee: Type.String(),
  amount: Decimal,
  currency: Type.String(),
});
export const PartyView = Type.Object({
  name: Type.String(),
  account: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
  identifiers: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export const ParticipantView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Literals(['operator', 'central_bank', 'bank', 'fx_provider']),
  country: Type.String(),
  bic: Type.Optional(Type.String()),
  lei: Type.Optional(Type.String()),
  fxToleranceBps: Type.Optional(Type.Integer({
    description: 'How far (bp) an FX rate may fall below the reference rate before an ISO ' +
      '20022 payment is rejected AM09 (docs/iso20022.md).',
  })),
  currencies: Type.Array(Type.String()),
  status: Literals(['active', 'suspended']),
  createdAt: Timestamp,
});

export const BalanceView = Type.Object({
  participantId: Type.String(),
  accountId: Type.String(),
  currency: Type.String(),
  posted: Decimal,
  reserved: Decimal,
  incoming: Decimal,
  available: Decimal,
  creditLimit: Decimal,
});

export const RouteHopView = Type.Object({
  fxProvider: Type.String(),
  sourceCurrency: Type.String(),
  targetCurrency: Type.String(),
  rate: Type.String({ description: 'The applied rate of this hop: target units per source unit.' }),
  midRate: Type.String(),
  spreadBps: Type.Integer(),
  sendAmount: MoneyView,
  creditAmount: MoneyView,
  fee: Type.Object({ amount: Decimal, currency: Type.String() }, {
    description: "The provider's fee, in the hop's source currency: the first hop's is added to " +
      "the debit; a later hop's is taken out of what the previous hop delivered.",
  }),
});
const Route = Type.Optional(Type.Array(RouteHopView, {
  description: 'Present when the quote goes through a third member currency: each hop in ' +
    'order. fxProvider is then the first hop\'s; rate and midRate are for the whole route.',
}));

export const FacilityView = Type.Object({
  participantId: Type.String(),
  currency: Type.String(),
  limit: Decimal,
  rateBps: Type.Integer({ description: 'Yearly rate, basis points, simple interest, actual/360.' }),
  outstanding: Decimal,
  interestDue: Decimal,
  interestPaid: Decimal,
  overdue: Type.String({ description: 'A decimal amount: intraday credit found in use at the last day end beyond ' +
    'what the facility could lend: still on the account, flagged.' }),
  loans: Type.Array(Type.Object({
    id: Type.String(),
    principal: Decimal,
    drawnAt: Timestamp,
    origin: Literals(['draw', 'day_end']),
  })),
});

const SwapLoanView = Type.Object({ id: Type.String(), principal: Decimal, at: Timestamp });

export const SwapLineView = Type.Object({
  holder: Type.String({ description: 'The central bank that holds the currency and lends it on.' }),
  issuer: Type.String({ description: 'The central bank that issues the currency.' }),
  currency: Type.String(),
  limit: Decimal,
  rateBps: Type.Integer({ description: 'Yearly rate, basis points, simple interest, actual/360.' }),
  tenorDays: Type.Integer({ description: 'Each draw matures this many days after it was drawn.' }),
  drawn: Decimal,
  onLent: Decimal,
  available: Type.String({ description: 'A decimal amount: what the line can still provide.' }),
  interestDue: Decimal,
  interestPaid: Decimal,
  overdue: Type.String({ description: 'A decimal amount: drawn principal past its maturity.' }),
  draws: Type.Array(SwapLoanView),
  borrowers: Type.Array(Type.Object({
    providerId: Type.String(),
    outstanding: Decimal,
    interestDue: Decimal,
    loans: Type.Array(SwapLoanView),
  }), { description: 'On-lent funds per FX provider; a provider sees only its own.' }),
});

export const QuoteView = Type.Object({
  id: Type.String({ description: 'The id the asker chose (or the network id).' }),
  networkId: Type.String(),
  debtorAgent: Type.String(),
  fxProvider: Type.String(),
  sourceCurrency: Type.String(),
  targetCurrency: Type.String(),
  fixed: Literals(['send', 'receive']),
  rate: Type.String(),
  midRate: Type.String(),
  spreadBps: Type.Integer(),
  sendAmount: MoneyView,
  creditAmount: MoneyView,
  fees: Type.Array(FeeView),
  debitAmount: MoneyView,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  used: Type.Boolean(),
  route: Route,
});

export const PaymentStatus = Literals(PAYMENT_STATUSES);
export const PaymentEventView = Type.Object({
  status: PaymentStatus,
  reason: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  at: Timestamp,
});
export const LegView = Type.Object({
  transferId: Type.String(),
  role: Type.String(),
  debitAccountId: Type.String(),
  creditAccountId: Type.String(),
  amount: Decimal,
  currency: Type.String(),
});
export const ScreeningView = Type.Object({
  hit: Type.Boolean(),
  matches: Type.Array(
    Type.Object({
      party: Literals(['debtor', 'creditor']),
      source: Type.String(),
      listId: Type.String(),
      matchedName: Type.String(),
      score: Type.Number(),
    }),
  ),
  listVersion: Type.Optional(Type.String()),
});

export const PaymentView = Type.Object({
  id: Type.String({ description: 'Its sender sees its own id; everyone else the network id.' }),
  networkId: Type.String({ description: 'The same for every viewer; events name it.' }),
  kind: Literals(['payment', 'return']),
  mode: Literals(['instant', 'two_phase']),
  status: PaymentStatus,
  reason: Type.Optional(Type.String({ description: 'ISO 20022 status reason.' })),
  detail: Type.Optional(Type.String()),
  debtorAgent: Type.String(),
  creditorAgent: Type.String(),
  debtor: PartyView,
  creditor: PartyView,
  sendAmount: MoneyView,
  creditAmount: MoneyView,
  debitAmount: MoneyView,
  fees: Type.Array(FeeView),
  quoteId: Type.Optional(Type.String()),
  fxProvider: Type.Optional(Type.String()),
  rate: Type.Optional(Type.String()),
  midRate: Type.Optional(Type.String({ description: "The FX provider's mid reference rate." })),
  route: Route,
  costBps: Type.Optional(Type.Number({
    description: 'Cost to the payer: (value at mid debited − value at mid credited) ÷ value at ' +
      'mid debited × 10,000, i.e. FX spread plus fees, in basis points (payments only).',
  })),
  purpose: Type.Optional(Type.String()),
  remittanceInformation: Type.Optional(Type.String()),
  endToEndId: Type.String(),
  uetr: Type.String(),
  priority: Type.Optional(Literals(['urgent', 'normal'])),
  latestSettlementTime: Type.Optional(Type.String({
    format: 'date-time',
    description: 'For a payment that waited in the settlement queue: when it is rejected (AB01) ' +
      'if it has not settled.',
  })),
  legs: Type.Array(LegView),
  returnOf: Type.Optional(Type.String()),
  returnReason: Type.Optional(Type.String()),
  returns: Type.Array(Type.String()),
  returnedAmount: MoneyView,
  screening: Type.Optional(ScreeningView),
  events: Type.Array(PaymentEventView),
  receivedAt: Type.String({
    format: 'date-time',
    description: 'When the request (or ISO 20022 message) arrived: time to credit counts from here.',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const PaymentPage = Type.Object({
  payments: Type.Array(PaymentView),
  next: Nullable(Type.String({ description: 'The cursor of the next page.' })),
});

export const EventView = Type.Object({
  sequence: Type.Integer(),
  type: Type.Literal('payment.status_changed'),
  paymentId: Type.String(),
  status: PaymentStatus,
  reason: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  at: Timestamp,
});

export const TransferView = Type.Object({
  id: Type.String(),
  sequence: Type.Integer(),
  kind: Literals(['posted', 'pending', 'post_pending', 'void_pending']),
  state: Literals(['posted', 'pending', 'voided', 'expired', 'resolution']),
  debitAccountId: Type.String(),
  creditAccountId: Type.String(),
  amount: Decimal,
  currency: Type.String(),
  reference: Type.String(),
  pendingId: Type.Optional(Type.String()),
  timestamp: Timestamp,
});

export const KeyView = Type.Object({
  keyId: Type.String(),
  participantId: Type.String(),
  label: Type.String(),
  createdAt: Timestamp,
  revokedAt: Type.Optional(Timestamp),
});

export const CurrencyView = Type.Object({
  code: Type.String(),
  issuer: Type.String(),
  paymentAmountMax: Decimal,
  dailyOutflowMax: Decimal,
  schemeFee: Decimal,
  supply: Decimal,
});

export const RateView = Type.Object({
  fxProvider: Type.String(),
  sourceCurrency: Type.String(),
  targetCurrency: Type.String(),
  rate: Type.String(),
  spreadBps: Type.Integer(),
  validUntil: Timestamp,
});

const WebhookFields = {
  id: Type.String(),
  participantId: Type.String(),
  url: Type.String(),
  createdAt: Timestamp,
};
export const WebhookView = Type.Object(WebhookFields);
export const RegisteredWebhook = Type.Object({
  ...WebhookFields,
  secret: Type.String({ description: 'Signs deliveries; shown only here.' }),
});
export const DeadLetterView = Type.Object({
  endpointId: Type.String(),
  participantId: Type.String(),
  url: Type.String(),
  body: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.String(),
  failedAt: Timestamp,
});

const Reason = Type.Object({ code: Type.String(), message: Type.String() });

export const StatusView = Type.Object({
  network: Type.Object({
    participants: Type.Integer(),
    currencies: Type.Integer(),
    payments: Type.Integer(),
    accounts: Type.Integer(),
    transfers: Type.Integer(),
    pending: Type.Integer(),
  }),
  journal: Type.Object({ sequence: Type.Integer(), hash: Nullable(Type.String()) }),
  queueDepth: Type.Integer(),
  eventSequence: Type.Integer(),
  uptimeSeconds: Type.Integer(),
  store: Type.String(),
  role: Literals(['writer', 'standby', 'stopped']),
  failure: Nullable(Reason),
  /** How this node rebuilt its state when it started: from a snapshot (or genesis) plus a tail. */
  recovery: Nullable(Type.Object({
    snapshotSequence: Nullable(Type.Integer({ description: 'The journal entry of the snapshot ' +
      'loaded; null: replayed from genesis.' })),
    replayedEntries: Type.Integer(),
    replayedCommands: Nullable(Type.Integer({ description: 'The commands those entries held ' +
      '(a tail replay costs by the command); null on a node that started as a standby.' })),
    ms: Type.Integer(),
    rejected: Type.Array(Type.Object({
      sequence: Type.Integer(),
      code: Type.String({ description: 'snapshot_checksum_mismatch, snapshot_entry_mismatch, ' +
        'snapshot_undecodable, snapshot_version_unknown or snapshot_unreadable.' }),
      reason: Type.String(),
    })),
  })),
  you: Type.Object({
    id: Type.String(),
    kind: ParticipantView.properties.kind,
    status: ParticipantView.properties.status,
    issues: Type.Array(Type.String()),
  }),
});

/** The error envelope's inner object: `{ error: ErrorDetail }` answers every refusal. */
export const ErrorDetail = Type.Object(
  {
    code: Type.String({ description: 'Stable: branch on it.' }),
    message: Type.String({ description: 'A plain sentence for people.' }),
    field: Type.Optional(Type.String({ description: 'The request field at fault.' })),
    isoReason: Type.Optional(Type.String({ description: 'ISO 20022 reason code.' })),
  },
);

/** Every success body, by route; the routes and the client both name them from here. */
const Amount = (description: string) => Type.String({ description });

export const QueueDepthView = Type.Object({
  currency: Type.String(),
  count: Type.Integer({ description: 'Payments waiting, by their source currency.' }),
  value: Amount('What they would debit (send amount plus fees), in major units.'),
});

export const QueueView = Type.Object({
  payments: Type.Array(Type.Object({
    position: Type.Integer({ description: 'Place in the whole queue, from 1 (urgent first).' }),
    payment: PaymentView,
  })),
  depth: Type.Array(QueueDepthView),
});

export const LiquidityFigureView = Type.Object({
  currency: Type.String(),
  participant: Type.Optional(Type.String({ description: 'Absent on a currency total.' })),
  peakLiquidityUsed: Amount("Largest fall, caused by the day's settled payments, of the " +
    "posted balance below its level at the day's first batch (UTC day, sampled at each " +
    "batch's end; issuance, facilities and swap lines excluded); a currency total sums them."),
  upperBound: Amount("Theoretical upper bound: the largest fall of the running balance had " +
    'every payment settled gross the moment it was submitted.'),
  lowerBound: Amount('Theoretical lower bound: max(0, outflows − inflows) of the day\'s ' +
    'payments, the multilateral net debit position.'),
  offsetValue: Amount('Send amount of payments settled through offsetting (bilateral or ' +
    'multilateral), not alone.'),
  queuedCount: Type.Integer({ description: 'Payments waiting now.' }),
  queuedValue: Amount('What the waiting payments would debit.'),
  settledCount: Type.Integer({ description: "Payments settled today (queued or at once)." }),
  queueTimeP50Ms: Type.Integer({ description: 'Median queue time (0 when settled at once), ' +
    'as the upper edge of its histogram bucket.' }),
  queueTimeP99Ms: Type.Integer({ description: '99th percentile of the queue time, likewise.' }),
  settledWithinHourShare: Type.Number({ description: "Share (0–1) of today's settled " +
    'payments that settled within one hour of submission.' }),
});

export const LiquidityView = Type.Object({
  day: Type.String({ description: 'The UTC day the figures are of (YYYY-MM-DD).' }),
  currencies: Type.Array(LiquidityFigureView),
  participants: Type.Array(LiquidityFigureView),
});

// The report of POST /v1/simulations (docs/simulation.md): the same JSON as report.json.
const Nullnum = Nullable(Type.Number());
const SimulationLiquidity = Type.Object({
  accounts: Type.Array(Type.Object({
    participant: Type.String(), currency: Type.String(), peakUsedUsd: Type.Number(),
    driftUsd: Type.Number(),
  })),
  currencies: Type.Array(Type.Object({
    currency: Type.String(), peakUsedUsd: Type.Number(), peakNetDebitUsd: Type.Number(),
    hourlyUsedUsd: Type.Array(Type.Number()),
  })),
  peakUsedUsd: Type.Number(),
  peakNetDebitUsd: Type.Number(),
});
const SimulationBounds = Type.Object({
  currencies: Type.Array(Type.Object({
    currency: Type.String(), upper_usd: Type.Number(), lower_usd: Type.Number(),
  })),
  upper_usd: Type.Number(),
  lower_usd: Type.Number(),
});
export const SimulationRegimeView = Type.Object({
  name: Literals(['usd_correspondent', 'bilateral_local', 'corridor_gross', 'corridor_lsm']),
  payments: Type.Integer(),
  value_usd: Type.Number(),
  cost_bps: Nullnum,
  time_to_credit_p50_s: Nullnum,
  time_to_credit_p95_s: Nullnum,
  within_1h_share: Nullnum,
  peak_liquidity_usd: Type.Number(),
  stranded_usd: Type.Number(),
  residual_usd: Type.Number(),
  settled: Type.Integer(),
  queued: Type.Integer(),
  failed: Type.Integer(),
  time_to_credit_histogram: Type.Array(Type.Object({ le_s: Nullnum, payments: Type.Integer() })),
  liquidity: SimulationLiquidity,
  /** corridor_lsm: the BoF-PSS bounds of what it settled (its legs, failed ones excluded). */
  bounds: Type.Optional(SimulationBounds),
  corridors: Type.Array(Type.Object({
    from: Type.String(), to: Type.String(), payments: Type.Integer(), value_usd: Type.Number(),
    cost_bps: Nullnum, within_1h_share: Nullnum, time_to_credit_p50_s: Nullnum,
  })),
  details: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Regime-specific figures: stranded balances, inventory drift, batches…',
  }),
});
export const SimulationReportView = Type.Object({
  year: Type.Integer(),
  seed: Type.Integer(),
  scale: Type.Number(),
  days: Type.Integer(),
  payments: Type.Integer(),
  value_usd: Type.Number(),
  generated_at: Timestamp,
  regimes: Type.Array(SimulationRegimeView),
  not_run: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() })),
  bounds: SimulationBounds,
  balances: Type.Object({
    multilateral: Type.Array(Type.Object({
      country: Type.String(), currency: Type.String(), exportsUsd: Type.Number(),
      importsUsd: Type.Number(), balanceUsd: Type.Number(),
    })),
    bilateral: Type.Array(Type.Object({
      holder: Type.String(), partner: Type.String(), currency: Type.String(),
      holderExportsUsd: Type.Number(), holderImportsUsd: Type.Number(),
      strandedUsd: Type.Number(),
    })),
  }),
  flow_matrix: Type.Object({
    countries: Type.Array(Type.String()),
    value_usd: Type.Array(Type.Array(Type.Number())),
  }),
  targets: Type.Object({ cost_bps_retail: Type.Number(), within_1h_share: Type.Number() }),
  figures: Type.Array(Type.Object({
    name: Type.String(), unit: Type.String(), definition: Type.String(),
  })),
  assumptions: Type.Array(Type.Object({
    name: Type.String(), value: Type.Unknown(), source: Type.String(),
    assumption: Type.Boolean(),
  })),
  swap_lines: Type.Array(Type.Object({
    holder: Type.String(), holder_country: Type.String(), currency: Type.String(),
    issuer: Type.String(), limit_usd: Type.Number(), rate_bps: Type.Integer(),
    tenor_days: Type.Integer(), draws: Type.Integer(), peak_drawn_usd: Type.Number(),
    drawn_days: Type.Integer(), average_outstanding_usd: Type.Number(),
    repayments: Type.Integer(), repaid_at_tenor: Type.Integer(),
    interest_paid_usd: Type.Number(), interest_received_usd: Type.Number(),
    repaid: Type.Boolean(), outstanding_end_usd: Type.Number(), overdue_end_usd: Type.Number(),
  }), { description: 'corridor_lsm: each central-bank swap line it drew on (docs/simulation.md)' }),
});

export const Responses = {
  queue: QueueView,
  liquidity: LiquidityView,
  participants: Type.Object({ participants: Type.Array(ParticipantView) }),
  participant: ParticipantView,
  accounts: Type.Object({ participantId: Type.String(), accounts: Type.Array(BalanceView) }),
  statement: Type.Object({
    accountId: Type.String(),
    currency: Type.String(),
    balance: BalanceView,
    transfers: Type.Array(
      Type.Object({ ...TransferView.properties, direction: Literals(['debit', 'credit']) }),
    ),
    next: Nullable(Type.String()),
    pageMax: Type.Integer(),
  }),
  currencies: Type.Object({ currencies: Type.Array(CurrencyView) }),
  supply: MoneyView,
  rates: Type.Object({ rates: Type.Array(RateView) }),
  ratePublished: Type.Object({ published: Type.Literal(true) }),
  quote: QuoteView,
  payment: PaymentView,
  paymentPage: PaymentPage,
  batch: Type.Object({
    results: Type.Array(
      Type.Object({
        index: Type.Integer(),
        payment: Type.Optional(PaymentView),
        error: Type.Optional(ErrorDetail),
      }),
    ),
  }),
  issuance: Type.Object({
    kind: Literals(['issue', 'redeem']),
    participantId: Type.String(),
    amount: Decimal,
    currency: Type.String(),
    supply: Decimal,
  }),
  credit: Type.Object({ participantId: Type.String(), currency: Type.String(), limit: Decimal }),
  facility: FacilityView,
  facilities: Type.Object({ facilities: Type.Array(FacilityView) }),
  swapLine: SwapLineView,
  swapLines: Type.Object({ swapLines: Type.Array(SwapLineView) }),
  rules: Type.Object({
    currency: Type.String(),
    paymentAmountMax: Decimal,
    dailyOutflowMax: Decimal,
    schemeFee: Decimal,
  }),
  keys: Type.Object({ keys: Type.Array(KeyView) }),
  key: KeyView,
  createdKey: Type.Object({
    keyId: Type.String(),
    participantId: Type.String(),
    key: Type.String({ description: 'The secret key: shown only here.' }),
    notice: Type.String(),
  }),
  events: Type.Object({ events: Type.Array(EventView), cursor: Type.String() }),
  webhooks: Type.Object({ webhooks: Type.Array(WebhookView) }),
  webhook: RegisteredWebhook,
  deadLetters: Type.Object({ deadLetters: Type.Array(DeadLetterView) }),
  health: Type.Object({ status: Literals(['ok', 'writer_stopped']), reason: Type.Optional(Reason) }),
  ready: Type.Object({ status: Literals(['ready', 'not_ready']), reason: Type.Optional(Reason) }),
  status: StatusView,
  streamToken: Type.Object({ token: Type.String(), expiresAt: Timestamp }),
  simulation: SimulationReportView,
} as const;

export type Money = Static<typeof MoneyView>;
export type Fee = Static<typeof FeeView>;
export type Party = Static<typeof PartyView>;
export type Participant = Static<typeof ParticipantView>;
export type Kind = Participant['kind'];
export type Balance = Static<typeof BalanceView>;
export type Quote = Static<typeof QuoteView>;
export type PaymentStatusCode = Static<typeof PaymentStatus>;
export type PaymentEvent = Static<typeof PaymentEventView>;
export type Leg = Static<typeof LegView>;
export type Screening = Static<typeof ScreeningView>;
export type ScreeningMatch = Screening['matches'][number];
export type Payment = Static<typeof PaymentView>;
export type PaymentPageBody = Static<typeof PaymentPage>;
export type Event = Static<typeof EventView>;
export type Transfer = Static<typeof TransferView>;
export type Key = Static<typeof KeyView>;
export type Currency = Static<typeof CurrencyView>;
export type Rate = Static<typeof RateView>;
export type Facility = Static<typeof FacilityView>;
export type SwapLineSummary = Static<typeof SwapLineView>;
export type Webhook = Static<typeof WebhookView>;
export type DeadLetter = Static<typeof DeadLetterView>;
export type NetworkStatus = Static<typeof StatusView>;
export type ErrorDetailBody = Static<typeof ErrorDetail>;
export type SimulationReportBody = Static<typeof SimulationReportView>;
export type ResponseName = keyof typeof Responses;
/** The body of every success answer, by name (Responses). */
export type ResponseBody<K extends ResponseName> = Static<(typeof Responses)[K]>;
