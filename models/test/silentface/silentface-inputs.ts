import { readFile } from "node:fs/promises";
import jpeg from "jpeg-js";
import { warpToTensor } from "@lumen/core";

const STILLS_DIR = new URL("../../../../shared/media/stills/", import.meta.url);

/** The side of the Silent-Face models' input. */
export const SILENTFACE_SIZE = 80;

/** A face box `[x, y, width, height]` in pixels of the upright image, as upstream's detector gives. */
export type FaceBox = readonly [number, number, number, number];

/**
 * Upstream's sample images (images/sample) with a face box picked by eye, in the image as
 * OpenCV shows it upright; upstream takes its box from a RetinaFace detector we do not have.
 */
export const SILENTFACE_STILLS = [
  { name: "silentface-image_T1.jpg", real: true, box: [105, 125, 190, 225] },
  { name: "silentface-image_F1.jpg", real: false, box: [195, 130, 195, 225] },
  { name: "silentface-image_F2.jpg", real: false, box: [150, 240, 225, 270] },
] as const satisfies readonly { name: string; real: boolean; box: FaceBox }[];

/**
 * Upstream `CropImage._get_new_box` (src/generate_patches.py): the box scaled about its centre
 * (the scale shrunk so it fits the image), shifted back inside, truncated to integers; the
 * crop is then pixels x1..x2, y1..y2 inclusive.
 */
export function silentFaceCropBox(
  box: FaceBox,
  imageWidth: number,
  imageHeight: number,
  requestedScale: number,
): [number, number, number, number] {
  const [x, y, boxW, boxH] = box;
  const scale = Math.min((imageHeight - 1) / boxH, (imageWidth - 1) / boxW, requestedScale);
  const [centreX, centreY] = [x + boxW / 2, y + boxH / 2];
  let [x1, y1] = [centreX - (boxW * scale) / 2, centreY - (boxH * scale) / 2];
  let [x2, y2] = [centreX + (boxW * scale) / 2, centreY + (boxH * scale) / 2];
  if (x1 < 0) [x2, x1] = [x2 - x1, 0];
  if (y1 < 0) [y2, y1] = [y2 - y1, 0];
  if (x2 > imageWidth - 1) [x1, x2] = [x1 - (x2 - imageWidth + 1), imageWidth - 1];
  if (y2 > imageHeight - 1) [y1, y2] = [y1 - (y2 - imageHeight + 1), imageHeight - 1];
  return [Math.trunc(x1), Math.trunc(y1), Math.trunc(x2), Math.trunc(y2)];
}

/**
 * A still cropped as upstream `test.py` crops it for a model of the given scale (2.7 or 4.0),
 * resized bilinearly to 80x80 (cv2.resize's default), as the model input: planar BGR, raw
 * 0..255. The stills are stored sideways with EXIF orientation 6, which OpenCV's `imread`
 * applies, so the crop is taken from the image turned 90° clockwise.
 */
export async function loadSilentFaceStill(
  still: (typeof SILENTFACE_STILLS)[number],
  scale: number,
): Promise<Float32Array> {
  const image = jpeg.decode(await readFile(new URL(still.name, STILLS_DIR)), {
    useTArray: true,
    formatAsRGBA: true,
  });
  // Upright coordinates (X, Y) = (storedHeight - y, x) for the 90° clockwise turn.
  const [uprightWidth, uprightHeight] = [image.height, image.width];
  const [x1, y1, x2, y2] = silentFaceCropBox(still.box, uprightWidth, uprightHeight, scale);
  const [width, height] = [x2 - x1 + 1, y2 - y1 + 1];
  const rgb = warpToTensor(
    image,
    {
      a: 0,
      b: -width / SILENTFACE_SIZE,
      c: height / SILENTFACE_SIZE,
      d: 0,
      e: y1,
      f: image.height - x1,
    },
    { size: SILENTFACE_SIZE, scale: 1, border: "replicate" },
  );
  const plane = SILENTFACE_SIZE * SILENTFACE_SIZE;
  const bgr = new Float32Array(rgb.length);
  bgr.set(rgb.subarray(2 * plane, 3 * plane), 0);
  bgr.set(rgb.subarray(plane, 2 * plane), plane);
  bgr.set(rgb.subarray(0, plane), 2 * plane);
  return bgr;
}
