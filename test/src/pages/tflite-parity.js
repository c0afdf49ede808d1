/* global window, atob, btoa, tf, tflite */
// Test page for test/src/tflite-onnx-parity.test.ts: runs an untouched .tflite file in TFLite's
// own interpreter (@tensorflow/tfjs-tflite, wasm) so the test can compare the project's ONNX
// conversion with it. Floats cross the page boundary as base64 of little-endian float32.
tflite.setWasmPath("/tfjs/");

const models = new Map();

function decode(base64) {
  return new Float32Array(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer);
}

function encode(floats) {
  const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

// One interpreter thread: the machine has two cores and the result must not depend on it.
async function load(url) {
  if (!models.has(url)) models.set(url, tflite.loadTFLiteModel(url, { numThreads: 1 }));
  return models.get(url);
}

/** Runs the model on each NHWC input; returns every output by its TFLite tensor name. */
window.runTflite = async (url, inputs, shape) => {
  const model = await load(url);
  return inputs.map((base64) => {
    const input = tf.tensor(decode(base64), shape, "float32");
    const result = model.predict(input);
    input.dispose();
    const named = result instanceof tf.Tensor ? { [model.outputs[0].name]: result } : result;
    const out = {};
    for (const [name, tensor] of Object.entries(named)) {
      out[name] = encode(tensor.dataSync());
      tensor.dispose();
    }
    return out;
  });
};
