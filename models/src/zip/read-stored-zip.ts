import { LumenError } from "@lumen/protocol";
import { crc32 } from "./crc32.ts";

/** One member as recorded in the central directory, with its data (a view, not a copy). */
export interface StoredZipEntry {
  readonly name: string;
  /** Compression method (0 = stored). */
  readonly method: number;
  readonly crc32: number;
  /** Byte position of the member's data in the archive. */
  readonly dataOffset: number;
  readonly data: Uint8Array;
}

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not a readable zip archive: ${message}`);
}

/**
 * Reads the members of a zip archive written without compression (a MediaPipe `.task`
 * bundle). Compressed members are listed with their `method` but their data is not inflated;
 * a stored member whose CRC-32 does not match its data is an error.
 *
 * @example
 * ```ts
 * const names = readStoredZip(taskBytes).map((entry) => entry.name);
 * ```
 */
export function readStoredZip(bytes: Uint8Array): StoredZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw invalid("no end-of-central-directory record");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: StoredZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) {
      throw invalid(`central directory entry ${i} is damaged`);
    }
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) {
      throw invalid(`the local header of ${name} is damaged`);
    }
    const dataOffset =
      local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataOffset + compressedSize > bytes.length) throw invalid(`${name} is truncated`);
    const data = bytes.subarray(dataOffset, dataOffset + compressedSize);
    if (method === 0 && crc32(data) !== crc) throw invalid(`${name} fails its CRC-32`);
    entries.push({ name, method, crc32: crc, dataOffset, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
