import { describe, expect, it } from 'vitest';
import { ar1Step, deriveSeed, Random } from './random.js';

describe('Random (mulberry32)', () => {
  it('matches the reference implementation on seed 1', () => {
    // Reference value of the canonical JavaScript mulberry32 for seed 1.
    expect(new Random(1).next()).toBe(0.6270739405881613);
  });

  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws integers in the closed interval and normals with unit variance', () => {
    const rng = new Random(7);
    const ints = Array.from({ length: 5000 }, () => rng.int(2, 5));
    expect(Math.min(...ints)).toBe(2);
    expect(Math.max(...ints)).toBe(5);
    const normals = Array.from({ length: 20000 }, () => rng.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const variance = normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });

  it('weighted draws follow the weights', () => {
    const rng = new Random(3);
    let a = 0;
    for (let i = 0; i < 10000; i++) if (rng.weighted({ a: 3, b: 1 }) === 'a') a++;
    expect(a / 10000).toBeGreaterThan(0.72);
    expect(a / 10000).toBeLessThan(0.78);
  });
});

describe('deriveSeed', () => {
  it('gives distinct seeds for distinct parts and the same for the same', () => {
    expect(deriveSeed(7, 0, 1)).toBe(deriveSeed(7, 0, 1));
    const seeds = new Set<number>();
    for (let p = 0; p < 50; p++) for (let s = 1; s <= 9; s++) seeds.add(deriveSeed(7, p, s));
    expect(seeds.size).toBe(450);
  });
});

describe('ar1Step', () => {
  it('is autocorrelated with lag-1 correlation close to phi', () => {
    const rng = new Random(11);
    const xs: number[] = [];
    let z = 0;
    for (let i = 0; i < 20000; i++) xs.push((z = ar1Step(z, 0.85, rng)));
    let num = 0;
    let den = 0;
    for (let i = 1; i < xs.length; i++) num += (xs[i] as number) * (xs[i - 1] as number);
    for (const x of xs) den += x * x;
    expect(num / den).toBeGreaterThan(0.82);
    expect(num / den).toBeLessThan(0.88);
  });
});
