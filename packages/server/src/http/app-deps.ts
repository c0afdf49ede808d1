import type { ApiKeyRegistry } from "../keys/api-key-registry.ts";
import type { KeyStore } from "../keys/key-store.ts";
import { SlidingWindowLimiter } from "../rate-limit/sliding-window-limiter.ts";
import { cryptoRandom, type RandomSource } from "../sessions/random-source.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { EvidenceVerifier } from "../verification/evidence-verifier.ts";

/** One request, as logged: never tokens, keys, frames or scores. */
export interface RequestLogEntry {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly sessionId: string | null;
  /** The error code of a failed request. */
  readonly code: string | null;
}

/** Rate limits; each can be tuned, defaults in {@link resolveAppDeps}. */
export interface RateLimitOptions {
  /** Session creations per API key per minute. */
  readonly sessionsPerKeyPerMinute: number;
  /** Start and evidence requests per session (each) over the session's life. */
  readonly attemptsPerSession: number;
  /** Failed verdicts per relying-party reference within `failureWindowMs` before creation is refused. */
  readonly failuresPerReference: number;
  readonly failureWindowMs: number;
}

/** What {@link createApp} needs. Required collaborators first; everything else has a default. */
export interface AppDeps {
  readonly store: SessionStore;
  readonly keys: KeyStore;
  readonly apiKeys: ApiKeyRegistry;
  readonly verifier: EvidenceVerifier;
  /** This server's public URL, the `iss` of every token it signs. */
  readonly issuer: string;
  /** Epoch milliseconds; `Date.now` by default. */
  readonly clock?: () => number;
  readonly random?: RandomSource;
  /** Browser origins allowed to call the SDK routes (CORS); none by default. */
  readonly allowedOrigins?: readonly string[];
  /** Session (and client token) lifetime; 3 minutes by default. */
  readonly sessionTtlMs?: number;
  /** Time for capture and upload after the challenge's own duration; 60 s by default. */
  readonly evidenceGraceMs?: number;
  /** Verdict lifetime (`exp`), as long as the verdict is retained; 30 days by default. */
  readonly verdictRetentionMs?: number;
  /** Longest wait for the verifier before failing closed; 30 s by default. */
  readonly verifierTimeoutMs?: number;
  /** Retry-After sent with `BUSY`; 5 s by default. */
  readonly busyRetryAfterSeconds?: number;
  readonly rateLimits?: Partial<RateLimitOptions>;
  /** Receives one entry per request. */
  readonly log?: (entry: RequestLogEntry) => void;
}

/** {@link AppDeps} after defaults, with the rate limiters built. */
export interface ResolvedAppDeps {
  readonly store: SessionStore;
  readonly keys: KeyStore;
  readonly apiKeys: ApiKeyRegistry;
  readonly verifier: EvidenceVerifier;
  readonly issuer: string;
  readonly clock: () => number;
  readonly random: RandomSource;
  readonly allowedOrigins: readonly string[];
  readonly sessionTtlMs: number;
  readonly evidenceGraceMs: number;
  readonly verdictRetentionMs: number;
  readonly verifierTimeoutMs: number;
  readonly busyRetryAfterSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly limiters: {
    readonly sessionsPerKey: SlidingWindowLimiter;
    readonly attemptsPerSession: SlidingWindowLimiter;
    readonly failuresPerReference: SlidingWindowLimiter;
  };
  readonly log: (entry: RequestLogEntry) => void;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be > 0`);
  return value;
}

/**
 * Resolves {@link AppDeps} once, throwing `TypeError` on an invalid option at creation rather
 * than on some later request.
 *
 * @example
 * ```ts
 * const resolved = resolveAppDeps({ store, keys, apiKeys, verifier, issuer: "http://localhost:8787" });
 * ```
 */
export function resolveAppDeps(deps: AppDeps): ResolvedAppDeps {
  let issuer: URL;
  try {
    issuer = new URL(deps.issuer);
  } catch (cause) {
    throw new TypeError(`issuer must be a URL, got "${deps.issuer}"`, { cause });
  }
  const sessionTtlMs = positive("sessionTtlMs", deps.sessionTtlMs ?? 180_000);
  const limits: RateLimitOptions = {
    sessionsPerKeyPerMinute: 60,
    attemptsPerSession: 10,
    failuresPerReference: 5,
    failureWindowMs: 180_000,
    ...deps.rateLimits,
  };
  return {
    store: deps.store,
    keys: deps.keys,
    apiKeys: deps.apiKeys,
    verifier: deps.verifier,
    issuer: issuer.href.replace(/\/$/, ""),
    clock: deps.clock ?? Date.now,
    random: deps.random ?? cryptoRandom,
    allowedOrigins: [...(deps.allowedOrigins ?? [])],
    sessionTtlMs,
    evidenceGraceMs: positive("evidenceGraceMs", deps.evidenceGraceMs ?? 60_000),
    verdictRetentionMs: positive("verdictRetentionMs", deps.verdictRetentionMs ?? 30 * 86_400_000),
    verifierTimeoutMs: positive("verifierTimeoutMs", deps.verifierTimeoutMs ?? 30_000),
    busyRetryAfterSeconds: positive("busyRetryAfterSeconds", deps.busyRetryAfterSeconds ?? 5),
    clockToleranceSeconds: 5,
    limiters: {
      sessionsPerKey: new SlidingWindowLimiter({
        limit: limits.sessionsPerKeyPerMinute,
        windowMs: 60_000,
      }),
      // Over the longest a session can live: a session cannot be hammered after a reset.
      attemptsPerSession: new SlidingWindowLimiter({
        limit: limits.attemptsPerSession,
        windowMs: sessionTtlMs * 2,
      }),
      failuresPerReference: new SlidingWindowLimiter({
        limit: limits.failuresPerReference,
        windowMs: limits.failureWindowMs,
      }),
    },
    log: deps.log ?? (() => undefined),
  };
}
