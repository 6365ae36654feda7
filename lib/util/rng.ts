/**
 * A small seeded random number generator (xoshiro128**) whose whole state is
 * four integers, so checkpoints can store it and a resumed run draws exactly
 * the numbers an uninterrupted run would have drawn.
 * @module
 */

/** Seeded RNG with serialisable state. */
export class Rng {
  private s: Uint32Array;

  /** Seeds from one integer (splitmix32 expansion). */
  constructor(seed: number | number[] = 1) {
    if (Array.isArray(seed)) {
      this.s = Uint32Array.from(seed);
      return;
    }
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const r = Math.imul((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return r;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** The state, for checkpoints. */
  get state(): number[] {
    return [...this.s];
  }
}
