/* global window, document, navigator, fetch, createImageBitmap, performance */
// Test page for test/src/face-landmarker.test.ts: runs the project's face_landmarker.task and
// Google's reference bundle on the very same ImageBitmap, so any difference comes from the
// models, never from different frames. The test drives it through `window.lumen`.
import { FaceLandmarker, FilesetResolver } from "/tasks-vision/vision_bundle.mjs";

const BUNDLES = { ours: "/models/face_landmarker.task", reference: "/models/reference.task" };
const violations = [];
const open = [];

document.addEventListener("securitypolicyviolation", (event) => {
  violations.push({ blockedURI: event.blockedURI, directive: event.effectiveDirective });
});

const fileset = FilesetResolver.forVisionTasks("/tasks-vision/wasm");

async function create(bundle, runningMode, delegate) {
  const landmarker = await FaceLandmarker.createFromOptions(await fileset, {
    baseOptions: { modelAssetPath: BUNDLES[bundle], delegate },
    runningMode,
    numFaces: 1,
    outputFaceBlendshapes: false,
    outputFacialTransformationMatrixes: false,
  });
  open.push(landmarker);
  return landmarker;
}

// Only what the test compares: the landmark count and x,y of the first face.
function summarize(result) {
  const face = result.faceLandmarks[0];
  if (!face) return { faces: 0, count: 0, xy: [] };
  return {
    faces: result.faceLandmarks.length,
    count: face.length,
    xy: face.flatMap((point) => [point.x, point.y]),
  };
}

// `stills` are `{ url, crop?: [x, y, width, height] }`; a crop is cut from the decoded image.
async function compareStills(stills, delegate) {
  const ours = await create("ours", "IMAGE", delegate);
  const reference = await create("reference", "IMAGE", delegate);
  const results = [];
  for (const { url, crop } of stills) {
    const blob = await (await fetch(url)).blob();
    const bitmap = await (crop ? createImageBitmap(blob, ...crop) : createImageBitmap(blob));
    results.push({
      url: crop ? `${url}#crop=${crop.join(",")}` : url,
      width: bitmap.width,
      height: bitmap.height,
      ours: summarize(ours.detect(bitmap)),
      reference: summarize(reference.detect(bitmap)),
    });
    bitmap.close();
  }
  return results;
}

async function compareCameraFrames(frameCount, delegate) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  const ours = await create("ours", "VIDEO", delegate);
  const reference = await create("reference", "VIDEO", delegate);
  const frames = [];
  let lastTimestampMs = -1;
  try {
    while (frames.length < frameCount) {
      await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
      const bitmap = await createImageBitmap(video);
      // VIDEO mode needs strictly increasing timestamps; both landmarkers get the same one.
      const timestampMs = Math.max(Math.round(performance.now()), lastTimestampMs + 1);
      lastTimestampMs = timestampMs;
      frames.push({
        width: bitmap.width,
        height: bitmap.height,
        ours: summarize(ours.detectForVideo(bitmap, timestampMs)),
        reference: summarize(reference.detectForVideo(bitmap, timestampMs)),
      });
      bitmap.close();
    }
  } finally {
    for (const track of stream.getTracks()) track.stop();
  }
  return frames;
}

function webgl2Available() {
  return Boolean(document.createElement("canvas").getContext("webgl2"));
}

function closeAll() {
  // close() flushes MediaPipe's pending telemetry, which the page's CSP must block.
  for (const landmarker of open.splice(0)) landmarker.close();
}

window.lumen = { compareStills, compareCameraFrames, webgl2Available, closeAll, violations };
window.lumenReady = true;
