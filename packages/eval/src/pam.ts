import type { RgbaImage } from "@lumen/core";

const HEADER_END = "ENDHDR\n";

/**
 * Splits ffmpeg's `-c:v pam -pix_fmt rgba` image2pipe output into RGBA frames. Each frame is a
 * PAM header (`P7`, `WIDTH`, `HEIGHT`, `DEPTH 4`, `MAXVAL 255`, `ENDHDR`) and its pixels.
 *
 * @throws {Error} on anything but 8-bit, 4-channel PAM, or truncated data.
 * @example
 * ```ts
 * const frames = parsePamStream(stdoutBytes);
 * ```
 */
export function parsePamStream(bytes: Uint8Array): RgbaImage[] {
  const frames: RgbaImage[] = [];
  const decoder = new TextDecoder("latin1");
  let offset = 0;
  while (offset < bytes.length) {
    // The header is short ASCII; 256 bytes hold it with room to spare.
    const head = decoder.decode(bytes.subarray(offset, offset + 256));
    const end = head.indexOf(HEADER_END);
    if (!head.startsWith("P7\n") || end < 0) throw new Error("ffmpeg output is not a PAM stream");
    const fields = new Map<string, string>();
    for (const line of head.slice(3, end).split("\n")) {
      const [key, value] = line.split(" ");
      if (key && value) fields.set(key, value);
    }
    const width = Number(fields.get("WIDTH"));
    const height = Number(fields.get("HEIGHT"));
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width < 1 ||
      height < 1 ||
      fields.get("DEPTH") !== "4" ||
      fields.get("MAXVAL") !== "255"
    ) {
      throw new Error("ffmpeg output is not 8-bit RGBA PAM");
    }
    const start = offset + end + HEADER_END.length;
    const size = width * height * 4;
    if (start + size > bytes.length) throw new Error("ffmpeg output is truncated");
    frames.push({ width, height, data: bytes.subarray(start, start + size) });
    offset = start + size;
  }
  return frames;
}
