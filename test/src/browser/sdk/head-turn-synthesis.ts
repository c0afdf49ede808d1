// Browser half of test/src/head-turn-synthesis.test.ts (DOM types: its own tsconfig), bundled by
// esbuild when the test starts: draws frames of a genuine video with the head turned by the attack
// lab's face turner, and hands them back as JPEGs for the server's analyzer.
import { createFaceTurner } from "../../../../packages/demo/src/lab/subject/turn-face.ts";
import type {
  HeadTurnPage,
  HeadTurnRunInput,
  HeadTurnRunOutput,
} from "../head-turn-synthesis-run.ts";

async function toBase64Jpeg(canvas: HTMLCanvasElement, quality: number): Promise<string> {
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, "image/jpeg", quality);
  });
  if (!blob) throw new Error("toBlob gave no JPEG");
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function context2d(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2d context");
  return context;
}

async function run(input: HeadTurnRunInput): Promise<HeadTurnRunOutput> {
  const turner = createFaceTurner();
  const images: string[][] = [];
  let drawMs = 0;
  let draws = 0;
  for (const frame of input.frames) {
    const res = await fetch(frame.url);
    if (!res.ok) throw new Error(`${frame.url}: HTTP ${res.status}`);
    const bitmap = await createImageBitmap(await res.blob());
    const context = context2d(bitmap.width, bitmap.height);
    const points = Float32Array.from(frame.points);
    const turned: string[] = [];
    for (const turn of input.turns) {
      const start = performance.now();
      turner.draw(context, bitmap, bitmap.width, bitmap.height, points, turn);
      drawMs += performance.now() - start;
      draws++;
      turned.push(await toBase64Jpeg(context.canvas, input.jpegQuality));
    }
    bitmap.close();
    images.push(turned);
  }
  return { images, meanDrawMs: drawMs / Math.max(1, draws) };
}

function badInputs(): string[] {
  const context = context2d(64, 64);
  const face = new Float32Array([10, 10, 0, 50, 10, 0, 30, 50, -5]);
  const straight = { yawDegrees: 0, pitchDegrees: 0 };
  const cases: [number, number, Float32Array, { yawDegrees: number; pitchDegrees: number }][] = [
    [0, 64, face, straight],
    [64, 64.5, face, straight],
    [64, 64, face.subarray(0, 8), straight],
    [64, 64, new Float32Array(3 * 1025), straight],
    [64, 64, Float32Array.from([...face.subarray(0, 8), Number.NaN]), straight],
    [64, 64, face, { yawDegrees: 61, pitchDegrees: 0 }],
    [64, 64, face, { yawDegrees: 0, pitchDegrees: Number.POSITIVE_INFINITY }],
  ];
  const turner = createFaceTurner();
  return cases.map(([width, height, points, turn]) => {
    try {
      turner.draw(context, context.canvas, width, height, points, turn);
      return "no error";
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  });
}

const api: HeadTurnPage = { run, badInputs };
Object.assign(globalThis, { lumenHeadTurn: api });
