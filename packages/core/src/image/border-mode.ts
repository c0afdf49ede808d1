/**
 * How a sampler fills pixels outside the image:
 * - `reflect`: reflect-101 (OpenCV's BORDER_REFLECT_101), the edge pixel not repeated; keeps
 *   natural texture where a model could key on black bars (MiniFASNet, MesoNet).
 * - `replicate`: the edge pixel repeated (MediaPipe's default, used for the face mesh crop).
 * - `zero`: black pixels (MediaPipe's BORDER_ZERO, used for the detector's letterbox).
 */
export type BorderMode = "reflect" | "replicate" | "zero";

/** The in-image index standing in for `index`, or -1 where the border is black. */
export function borderIndex(index: number, length: number, mode: BorderMode): number {
  if (index >= 0 && index < length) return index;
  switch (mode) {
    case "zero":
      return -1;
    case "replicate":
      return index < 0 ? 0 : length - 1;
    case "reflect": {
      if (length === 1) return 0;
      const period = 2 * (length - 1);
      let i = index % period;
      if (i < 0) i += period;
      return i < length ? i : period - i;
    }
  }
}
