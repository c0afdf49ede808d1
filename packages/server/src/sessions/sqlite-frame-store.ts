import type { Database as SqliteDatabase } from "better-sqlite3";
import type { FrameStore } from "./frame-store.ts";

/**
 * A {@link FrameStore} keeping JPEG bytes as blobs in the session database: audit frames are few
 * (at most 4 per session) and small, and one file keeps backup and deletion simple.
 *
 * @example
 * ```ts
 * const frames = new SqliteFrameStore(new Database(":memory:"));
 * ```
 */
export class SqliteFrameStore implements FrameStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`CREATE TABLE IF NOT EXISTS frames (
      session_id TEXT NOT NULL,
      idx INTEGER NOT NULL,
      stored_at INTEGER NOT NULL,
      jpeg BLOB NOT NULL,
      PRIMARY KEY (session_id, idx)
    )`);
  }

  put(sessionId: string, index: number, jpeg: Uint8Array, storedAtMs: number): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO frames (session_id, idx, stored_at, jpeg) VALUES (?, ?, ?, ?)`,
      )
      .run(sessionId, index, storedAtMs, Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.length));
  }

  get(sessionId: string, index: number): Uint8Array | null {
    const row = this.#db
      .prepare(`SELECT jpeg FROM frames WHERE session_id = ? AND idx = ?`)
      .get(sessionId, index) as { jpeg: Buffer } | undefined;
    return row === undefined ? null : new Uint8Array(row.jpeg);
  }

  deleteSession(sessionId: string): number {
    return this.#db.prepare(`DELETE FROM frames WHERE session_id = ?`).run(sessionId).changes;
  }

  deleteOlderThan(beforeMs: number): number {
    return this.#db.prepare(`DELETE FROM frames WHERE stored_at < ?`).run(beforeMs).changes;
  }
}
