import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/zip/crc32.ts";
import { readStoredZip } from "../../src/zip/read-stored-zip.ts";
import { writeStoredZip } from "../../src/zip/write-stored-zip.ts";

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe("writeStoredZip", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(text("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("writes stored members that read back, data 16-byte aligned, with a fixed timestamp", () => {
    const members = [
      { name: "a.tflite", data: text("first member") },
      { name: "dir/b.binarypb", data: Uint8Array.from({ length: 1000 }, (_, i) => i % 251) },
      { name: "empty", data: new Uint8Array(0) },
    ];
    const zip = writeStoredZip(members);
    const entries = readStoredZip(zip);
    expect(entries.map((e) => [e.name, e.method, [...e.data]])).toEqual(
      members.map((m) => [m.name, 0, [...m.data]]),
    );
    for (const entry of entries) expect(entry.dataOffset % 16).toBe(0);
    const view = new DataView(zip.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // stored
    expect(view.getUint16(10, true)).toBe(0); // 00:00:00
    expect(view.getUint16(12, true)).toBe(0x21); // 1980-01-01
    expect(writeStoredZip(members)).toEqual(zip);
  });

  it("refuses duplicate names; the reader refuses damaged archives", () => {
    expect(() =>
      writeStoredZip([
        { name: "x", data: new Uint8Array(1) },
        { name: "x", data: new Uint8Array(1) },
      ]),
    ).toThrow(/Duplicate zip member x/);
    expect(() => readStoredZip(text("not a zip at all, no end record here"))).toThrow(
      /no end-of-central-directory/,
    );
    const zip = writeStoredZip([{ name: "x", data: text("payload") }]);
    const damaged = zip.slice();
    const at = (readStoredZip(zip)[0]?.dataOffset ?? 0) + 1;
    damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    expect(() => readStoredZip(damaged)).toThrow(/x fails its CRC-32/);
  });
});
