/**
 * Deterministic helpers for seeded data: the same input must give
 * byte-identical objects, so nothing here reads the clock or Math.random.
 */
import { createHash } from 'node:crypto';

/** All seeded times are offsets from this instant. */
export const BASE_TIME_MS = Date.UTC(2024, 4, 6, 8, 0, 0);

/** RFC 3339 without fractional seconds, as Kubernetes serialises metav1.Time. */
export function isoAt(offsetSeconds: number): string {
  return new Date(BASE_TIME_MS + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A UUID-shaped (version 4 layout) id derived from the object's identity. */
export function uidFor(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Short lowercase hash, like the `pod-template-hash` label or pod-name suffixes. */
export function shortHash(length: number, ...parts: string[]): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha1').update(parts.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i % digest.length]! % alphabet.length];
  return out;
}

/** Small seeded PRNG (mulberry32) for the size generator. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
