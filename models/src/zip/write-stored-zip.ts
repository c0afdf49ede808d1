import { crc32 } from "./crc32.ts";

/** One file of a zip archive. */
export interface ZipMember {
  readonly name: string;
  readonly data: Uint8Array;
}

// 1980-01-01 00:00:00, the earliest DOS date: a fixed stamp keeps builds byte-identical.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION_NEEDED = 10; // 1.0: stored members, no extensions
const ALIGNMENT_EXTRA_ID = 0xd935; // the extra field Android's zipalign uses for padding
const DATA_ALIGNMENT = 16;
const MAX_UINT32 = 0xffffffff;

function dataOffsetAfterHeader(headerStart: number, nameLength: number, extraLength: number) {
  return headerStart + 30 + nameLength + extraLength;
}

/**
 * A zip archive whose members are STORED (not compressed), as MediaPipe Tasks requires of a
 * `.task` bundle ("Expected uncompressed zip archive"). Every entry has the same fixed DOS
 * timestamp and no host-specific fields, so the same members give byte-identical archives.
 * Each member's data starts at a 16-byte boundary (padded with a zipalign-style extra field),
 * so a runtime that maps the archive sees aligned model weights.
 *
 * @example
 * ```ts
 * const task = writeStoredZip([{ name: "face_detector.tflite", data: detector }]);
 * ```
 */
export function writeStoredZip(members: readonly ZipMember[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = new Set<string>();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const member of members) {
    if (names.has(member.name)) throw new TypeError(`Duplicate zip member ${member.name}`);
    names.add(member.name);
    const name = encoder.encode(member.name);
    const crc = crc32(member.data);
    const size = member.data.length;
    // zip64 is not written: a .task bundle is far below 4 GB.
    if (size >= MAX_UINT32) throw new RangeError(`${member.name} is too large for a zip32 archive`);
    const unpadded = dataOffsetAfterHeader(offset, name.length, 6);
    const extraLength = 6 + ((DATA_ALIGNMENT - (unpadded % DATA_ALIGNMENT)) % DATA_ALIGNMENT);

    const local = new Uint8Array(30 + name.length + extraLength);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, VERSION_NEEDED, true);
    lv.setUint16(6, 0, true); // flags: names are ASCII, no data descriptor
    lv.setUint16(8, 0, true); // method: stored
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, size, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, extraLength, true);
    local.set(name, 30);
    lv.setUint16(30 + name.length, ALIGNMENT_EXTRA_ID, true);
    lv.setUint16(32 + name.length, extraLength - 4, true);
    lv.setUint16(34 + name.length, DATA_ALIGNMENT, true);

    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, VERSION_NEEDED, true); // made by: MS-DOS, 1.0 (no host attributes)
    cv.setUint16(6, VERSION_NEEDED, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, size, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);

    locals.push(local, member.data);
    centrals.push(central);
    offset += local.length + size;
  }
  const centralSize = centrals.reduce((sum, entry) => sum + entry.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);

  const out = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
