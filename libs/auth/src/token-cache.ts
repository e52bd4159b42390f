import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';

interface Entry {
  principal: Principal;
  /** Epoch ms after which the entry is never used: the token's exp, or sooner (the cache's ttl). */
  until: number;
}

/**
 * Principals of tokens whose verification succeeded, keyed by the exact token string. An entry is only
 * used strictly before the token's `exp` (the verifier's clock tolerance is not extended to it) and before
 * the cache's own ttl, so it never accepts what verification would refuse for being expired; a failed
 * verification is never stored, and any other token string misses and is verified afresh.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max });
  }

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  /** `exp` in epoch seconds, as the verified payload carries it. */
  set(token: string, principal: Principal, exp: number): void {
    const until = Math.min(exp * 1000, this.now() + this.ttlMs);
    if (this.now() < until) this.entries.set(token, { principal, until });
  }
}
