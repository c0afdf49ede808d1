/**
 * Audit frames kept for the relying party. Only the frames the verifier picked are stored, and
 * only until the retention period ends.
 *
 * @example
 * ```ts
 * frames.put(sessionId, 2, jpegBytes, now);
 * const bytes = frames.get(sessionId, 2);
 * ```
 */
export interface FrameStore {
  put(sessionId: string, index: number, jpeg: Uint8Array, storedAtMs: number): void;
  get(sessionId: string, index: number): Uint8Array | null;
  deleteSession(sessionId: string): number;
  /** Deletes frames stored before `beforeMs`; returns how many. */
  deleteOlderThan(beforeMs: number): number;
}
