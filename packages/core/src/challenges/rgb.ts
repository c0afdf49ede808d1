/** A mean colour, sRGB channels on the 0..255 scale (not rounded). Pure data. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}
