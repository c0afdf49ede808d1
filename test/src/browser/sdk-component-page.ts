// The data the component page (browser/sdk/sdk-component.ts) and its test
// (sdk-component.test.ts) exchange: plain JSON, DOM-free so both programs compile it.

/** How the mounted `<lumen-liveness>` gets its sessions. */
export interface MountInput {
  readonly lang?: string;
  /**
   * `real`: the SDK's own `createLivenessSession` (on a page whose Permissions-Policy denies
   * the camera). `fake`: a scripted headless session with a flash plan; each attempt takes the
   * next outcome (`pass` / `fail` / `retry`, an error code, or `hang` until closed).
   */
  readonly mode: "real" | "fake";
  readonly outcomes?: readonly string[];
  /**
   * `virtual` (real mode): a test seam replaces `navigator.mediaDevices.getUserMedia` and
   * `enumerateDevices` with one camera labelled "OBS Virtual Camera" (a canvas stream whose
   * track label is overridden), as a virtual-camera driver would name itself.
   */
  readonly camera?: "virtual";
  /** Real mode: the session factory ignores the options the component asks for. */
  readonly ignoreSessionOptions?: boolean;
  /** The element's `virtual-camera` attribute. */
  readonly virtualCameraAttribute?: string;
}

/** What the page recorded, times in epoch ms from `performance`. */
export interface ComponentLog {
  /** First frame (requestAnimationFrame) on which the warning dialog was visible. */
  readonly warningPaintedAt: number | null;
  readonly confirmedAt: number | null;
  readonly sessionsCreated: readonly number[];
  readonly sessionsClosed: number;
  /** What the display was asked to paint, when, and the overlay's computed `background` then. */
  readonly colourPaints: readonly {
    readonly colour: string | null;
    readonly at: number;
    readonly painted: string | null;
  }[];
  /** `lumen-*` events the element dispatched, with their detail as JSON. */
  readonly events: readonly string[];
  /** Every text the live region held, in order. */
  readonly announcements: readonly string[];
}

/** One axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** `globalThis.lumenComponent` on the page. */
export interface SdkComponentPage {
  mount(input: MountInput): void;
  log(): ComponentLog;
  /** The live region's text. */
  liveText(): string;
  /** The computed CSS `direction` of the component's root. */
  direction(): string;
  /** Removes the component from the page (disconnects it). */
  remove(): void;
  /** Id of the element focused inside the component's shadow root, or null. */
  focusedId(): string | null;
  axe(): Promise<readonly AxeViolation[]>;
}
