// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PROTOCOL_LIMITS } from "@lumen/protocol";
import { renderDocumentStep, type ReferenceChoice } from "../src/document-step.ts";
import { referenceImageProblem } from "../src/reference-image-problem.ts";

let choices: (ReferenceChoice | null)[];
let backs: number;
let revoked: string[];
let urls: number;

beforeEach(() => {
  document.body.replaceChildren();
  choices = [];
  backs = 0;
  revoked = [];
  urls = 0;
  vi.spyOn(URL, "createObjectURL").mockImplementation(() => `blob:test/${String(++urls)}`);
  vi.spyOn(URL, "revokeObjectURL").mockImplementation((url) => {
    revoked.push(url);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

function render(options: { kind?: "document" | "portrait"; refusal?: string } = {}) {
  document.body.append(
    renderDocumentStep({
      ...options,
      onContinue: (choice) => choices.push(choice),
      onBack: () => {
        backs++;
      },
    }),
  );
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  const buttons = [...document.querySelectorAll("button")];
  const named = (text: string) => buttons.find((button) => button.textContent === text);
  return {
    input,
    alert: () => document.querySelector('[role="alert"]')?.textContent,
    preview: () => document.querySelector<HTMLImageElement>(".reference-preview"),
    proceed: named("Continue"),
    back: named("Back"),
    skip: named("Continue without a document"),
    radio: (kind: string) => document.querySelector<HTMLInputElement>(`input[value="${kind}"]`),
  };
}

/** Picks `file` in the input as a person would. */
function choose(input: HTMLInputElement | null, file: File | null): void {
  if (input === null) throw new Error("no file input");
  Object.defineProperty(input, "files", { value: file === null ? [] : [file], configurable: true });
  input.dispatchEvent(new Event("change"));
}

const photo = (type = "image/jpeg", bytes = 3): File =>
  new File([new Uint8Array(bytes).fill(0xff)], "id.jpg", { type });

describe("renderDocumentStep", () => {
  it("offers the platform's file input for the camera or a file, ID document chosen by default", () => {
    const { input, radio, proceed, skip } = render();
    expect(input?.getAttribute("accept")).toBe("image/jpeg,image/png");
    expect(input?.getAttribute("capture")).toBe("environment");
    expect(document.querySelector(`label[for="${input?.id ?? ""}"]`)).not.toBeNull();
    expect(radio("document")?.checked).toBe(true);
    expect(radio("portrait")?.checked).toBe(false);
    expect(proceed?.disabled).toBe(true);
    expect(skip).toBeDefined();
  });

  it("previews a chosen photo and continues with it and the chosen kind", () => {
    const { input, radio, preview, proceed } = render();
    const file = photo("image/png");
    choose(input, file);
    expect(preview()?.hidden).toBe(false);
    expect(preview()?.getAttribute("src")).toBe("blob:test/1");
    expect(proceed?.disabled).toBe(false);
    radio("portrait")?.click();
    proceed?.click();
    expect(choices).toEqual([{ image: file, kind: "portrait", url: "blob:test/1" }]);
    // The flow now owns the URL: the result page shows the same image.
    expect(revoked).toEqual([]);
  });

  it.each([
    ["a GIF", photo("image/gif"), /not a JPEG or PNG photo \(its type is image\/gif\)/],
    ["a file of no type", photo(""), /its type is unknown/],
    ["an empty file", photo("image/jpeg", 0), /empty/],
    [
      "a photo over the bound",
      photo("image/jpeg", PROTOCOL_LIMITS.maxReferenceBytes + 1),
      /8\.1 MB, over the limit of 8 MB/,
    ],
  ])("refuses %s with a clear message, without a preview", (_, file, message) => {
    const { input, alert, preview, proceed } = render();
    choose(input, file);
    expect(alert()).toMatch(message);
    expect(preview()?.hidden).toBe(true);
    expect(proceed?.disabled).toBe(true);
    expect(urls).toBe(0);
  });

  it("replaces a refused or earlier photo, revoking the earlier preview's URL", () => {
    const { input, alert, proceed } = render();
    choose(input, photo());
    choose(input, photo("image/gif"));
    expect(revoked).toEqual(["blob:test/1"]);
    expect(proceed?.disabled).toBe(true);
    choose(input, photo("image/png"));
    expect(alert()).toBe("");
    expect(proceed?.disabled).toBe(false);
  });

  it("shows the server's refusal of the previous photo and keeps its kind", () => {
    const { alert, radio } = render({
      kind: "portrait",
      refusal: "The image shows several faces.",
    });
    expect(alert()).toBe(
      "The bank's server could not use your photo: The image shows several faces. Please choose another photo.",
    );
    expect(radio("portrait")?.checked).toBe(true);
  });

  it("continues without a document, or goes back, dropping the chosen photo", () => {
    const { input, skip, back } = render();
    choose(input, photo());
    skip?.click();
    expect(choices).toEqual([null]);
    expect(revoked).toEqual(["blob:test/1"]);
    choose(input, photo());
    back?.click();
    expect(backs).toBe(1);
    expect(revoked).toEqual(["blob:test/1", "blob:test/2"]);
  });
});

describe("referenceImageProblem", () => {
  it("accepts a JPEG or PNG up to the protocol's bound", () => {
    expect(referenceImageProblem(photo("image/jpeg"))).toBeNull();
    expect(referenceImageProblem(photo("image/png", PROTOCOL_LIMITS.maxReferenceBytes))).toBeNull();
  });
});
