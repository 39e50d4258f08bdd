// Liquidity measured the way BoF-PSS measures it, in USD at reference rates. For each account
// (a participant in a currency) the tracker follows the running balance through each UTC day:
// - used: the day's largest drawdown, opening balance minus the lowest balance of the day:
//   what the account must hold at the start of the day for every payment to settle gross;
// - net debit: max(0, opening − closing balance): what it would need with everything netted
//   at the end of the day.
// Per currency, each day sums its accounts; the peak is the largest day. Events must come in
// time order. A day's used liquidity is summed at the day's close from each account's opening
// and lowest balance, so it is never below the day's net debit (each account's drawdown is at
// least its net debit, and IEEE rounding is monotonic). Amounts may be given in integer units
// of 1/`unitsPerUsd` USD (integer cents: `new LiquidityTracker(100)`): the sums are then exact
// and do not depend on the order of the events within a day.
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface AccountLiquidity {
  readonly participant: string;
  readonly currency: string;
  /** Largest daily drawdown over the period, USD. */
  readonly peakUsedUsd: number;
  /** Closing minus opening balance over the whole period, USD (inventory drift). */
  readonly driftUsd: number;
}

export interface CurrencyLiquidity {
  readonly currency: string;
  /** Largest day's sum of the accounts' drawdowns, USD. */
  readonly peakUsedUsd: number;
  /** Largest day's sum of the accounts' end-of-day net debits, USD. */
  readonly peakNetDebitUsd: number;
  /** For each UTC hour 0–23: the most liquidity in use by the end of that hour, over all days. */
  readonly hourlyUsedUsd: readonly number[];
}

export interface LiquidityResult {
  readonly accounts: readonly AccountLiquidity[];
  readonly currencies: readonly CurrencyLiquidity[];
  /** Sum of the currencies' peaks, USD: what must be pre-funded to cover each one's worst day. */
  readonly peakUsedUsd: number;
  readonly peakNetDebitUsd: number;
}

export class LiquidityTracker {
  private readonly index = new Map<string, number>();
  private readonly participants: string[] = [];
  private readonly accountCurrency: number[] = [];
  private readonly currencyNames: string[] = [];
  private readonly currencyIndex = new Map<string, number>();
  private balance: number[] = [];
  private open: number[] = [];
  private low: number[] = [];
  private peak: number[] = [];
  private used: number[] = [];
  private hourToday: number[][] = [];
  private peakUsed: number[] = [];
  private peakNet: number[] = [];
  private hourly: number[][] = [];
  private day = Number.NaN;
  private lastAt = -Infinity;

  /** `unitsPerUsd`: the amounts moved are in 1/unitsPerUsd USD (1: USD; 100: cents). */
  constructor(private readonly unitsPerUsd = 1) {}

  account(participant: string, currency: string): number {
    const key = `${participant}|${currency}`;
    let id = this.index.get(key);
    if (id !== undefined) return id;
    id = this.participants.length;
    this.index.set(key, id);
    this.participants.push(participant);
    let currencyId = this.currencyIndex.get(currency);
    if (currencyId === undefined) {
      currencyId = this.currencyNames.length;
      this.currencyIndex.set(currency, currencyId);
      this.currencyNames.push(currency);
      this.used.push(0);
      this.hourToday.push(new Array<number>(24).fill(Number.NaN));
      this.peakUsed.push(0);
      this.peakNet.push(0);
      this.hourly.push(new Array<number>(24).fill(0));
    }
    this.accountCurrency.push(currencyId);
    this.balance.push(0);
    this.open.push(0);
    this.low.push(0);
    this.peak.push(0);
    return id;
  }

  /** A change of `deltaUsd` to an account's balance at `at` (UTC ms, not before the last). */
  move(at: number, account: number, deltaUsd: number): void {
    if (at < this.lastAt) throw new Error('LiquidityTracker: events out of time order');
    this.lastAt = at;
    const day = Math.floor(at / DAY_MS);
    if (day !== this.day) {
      this.closeDay();
      this.day = day;
    }
    const balance = (this.balance[account] ?? 0) + deltaUsd;
    this.balance[account] = balance;
    const low = this.low[account] ?? 0;
    if (balance < low) {
      const currency = this.accountCurrency[account] ?? 0;
      this.used[currency] = (this.used[currency] ?? 0) + (low - balance);
      this.low[account] = balance;
      const hour = Math.floor((at - day * DAY_MS) / HOUR_MS);
      const today = this.hourToday[currency];
      if (today !== undefined) today[hour] = this.used[currency] ?? 0;
    }
  }

  private closeDay(): void {
    if (Number.isNaN(this.day)) return;
    const net = new Array<number>(this.currencyNames.length).fill(0);
    const used = new Array<number>(this.currencyNames.length).fill(0);
    for (let account = 0; account < this.balance.length; account += 1) {
      const open = this.open[account] ?? 0;
      const balance = this.balance[account] ?? 0;
      const currency = this.accountCurrency[account] ?? 0;
      const drawdown = open - (this.low[account] ?? 0);
      if (drawdown > (this.peak[account] ?? 0)) this.peak[account] = drawdown;
      used[currency] = (used[currency] ?? 0) + drawdown;
      if (open > balance) net[currency] = (net[currency] ?? 0) + (open - balance);
      this.open[account] = balance;
      this.low[account] = balance;
    }
    for (let currency = 0; currency < this.currencyNames.length; currency += 1) {
      this.peakUsed[currency] = Math.max(this.peakUsed[currency] ?? 0, used[currency] ?? 0);
      this.peakNet[currency] = Math.max(this.peakNet[currency] ?? 0, net[currency] ?? 0);
      const today = this.hourToday[currency] ?? [];
      const hourly = this.hourly[currency] ?? [];
      let level = 0;
      for (let hour = 0; hour < 24; hour += 1) {
        const value = today[hour] ?? Number.NaN;
        if (!Number.isNaN(value)) level = value;
        hourly[hour] = Math.max(hourly[hour] ?? 0, level);
        today[hour] = Number.NaN;
      }
      this.used[currency] = 0;
    }
  }

  /** Closes the last day and summarises, currencies and accounts sorted by name. */
  result(): LiquidityResult {
    this.closeDay();
    this.day = Number.NaN;
    const usd = (value: number): number => round2(value / this.unitsPerUsd);
    const accounts = this.participants
      .map((participant, account) => ({
        participant,
        currency: this.currencyNames[this.accountCurrency[account] ?? 0] ?? '',
        peakUsedUsd: usd(this.peak[account] ?? 0),
        driftUsd: usd(this.balance[account] ?? 0),
      }))
      .sort((a, b) =>
        a.currency === b.currency
          ? a.participant.localeCompare(b.participant)
          : a.currency.localeCompare(b.currency),
      );
    const currencies = this.currencyNames
      .map((currency, id) => ({
        currency,
        peakUsedUsd: usd(this.peakUsed[id] ?? 0),
        peakNetDebitUsd: usd(this.peakNet[id] ?? 0),
        hourlyUsedUsd: (this.hourly[id] ?? []).map(usd),
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
    return {
      accounts,
      currencies,
      peakUsedUsd: round2(currencies.reduce((sum, item) => sum + item.peakUsedUsd, 0)),
      peakNetDebitUsd: round2(currencies.reduce((sum, item) => sum + item.peakNetDebitUsd, 0)),
    };
  }
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
