// A small seeded pseudo-random generator (a 32-bit xorshift-multiply mix of a Weyl sequence,
// after the SplitMix idea): deterministic, so the same seed gives the same payments and the
// same report. Not for anything secret.
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Standard normal (Box–Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** An index drawn with the given (non-negative) weights. */
  weighted(weights: readonly number[], total: number): number {
    let target = this.next() * total;
    for (let index = 0; index < weights.length; index += 1) {
      target -= weights[index] ?? 0;
      if (target < 0) return index;
    }
    return weights.length - 1;
  }
}
