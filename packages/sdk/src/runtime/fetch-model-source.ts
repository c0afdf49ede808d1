import type { ModelSource } from "@lumen/core";

/**
 * A `ModelSource` that fetches model files under a base URL and refuses to read more than the
 * pinned size, so a hostile host cannot exhaust memory. Pair it with `loadVerifiedModel`, which
 * checks size and SHA-256 before any runtime sees the bytes.
 *
 * @example
 * ```ts
 * const source = createFetchModelSource(new URL("https://cdn.example/lumen/models/"));
 * const bytes = await loadVerifiedModel(getModelSpec("face-detector"), source);
 * ```
 */
export function createFetchModelSource(
  baseUrl: URL,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): ModelSource {
  return async (file, maxBytes) => {
    const response = await fetchImpl(new URL(encodeURIComponent(file), baseUrl), {
      credentials: "same-origin",
    });
    if (!response.ok || !response.body) throw new Error(`${file}: HTTP ${response.status}`);
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declared > maxBytes) throw new Error(`${file} is larger than its pinned size`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        // One byte over is enough for loadVerifiedModel's size check to refuse it.
        return new Uint8Array(size);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  };
}
