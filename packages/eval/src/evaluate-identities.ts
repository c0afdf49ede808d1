import { DECISION_THRESHOLDS, faceDistance, getModelSpec, median } from "@lumen/core";
import { Policy } from "@lumen/protocol";
import { createOnnxFrameAnalyzer } from "@lumen/server";
import { collectIdentities } from "./collect-identities.ts";
import { EVAL_LIMITS } from "./eval-limits.ts";
import { formPairs } from "./identity-pairs.ts";
import { loadFrames } from "./load-frames.ts";
import { createProgress, type ProgressStream } from "./progress.ts";
import { collectProvenance } from "./provenance.ts";
import {
  falseMatchRate,
  falseNonMatchRate,
  fnmrAtFmr,
  verificationEer,
  verificationPoints,
} from "./verification-metrics.ts";
import type {
  DistanceSummary,
  IdentityImageResult,
  VerificationReport,
} from "./verification-report.ts";

/** Inputs of {@link evaluateIdentities}; paths absolute. */
export interface EvaluateIdentitiesOptions {
  readonly identitiesDir: string;
  readonly modelDir: string;
  readonly repoRoot: string;
  /** Progress and failures go here (`process.stderr`). */
  readonly stderr: ProgressStream;
  /** Test seam for `createdAt`. */
  readonly now?: () => Date;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function summarise(distances: readonly number[]): DistanceSummary {
  if (distances.length === 0) return null;
  return { min: Math.min(...distances), median: median(distances), max: Math.max(...distances) };
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** The face-recognition model the embeddings come from. */
const FACE_RECOGNITION_MODEL_ID = "face-recognition-resnet29";

/**
 * Embeds the largest face of every image of `DIR/<person>/<image>` as the server embeds a
 * document's reference face (`embedReferenceFace`, same checks) and reports ISO/IEC 19795-1
 * verification measures over the genuine and impostor pairs of the enrolled images (see
 * `formPairs`), at each policy's face-match threshold. An image that cannot be decoded or
 * shows no usable face is a failure to enrol: it is
 * counted, listed and left out of every pair. Never throws for a bad image. The embeddings stay
 * in memory and are not written anywhere.
 *
 * @throws {Error} when the folder holds no image, or the models cannot be loaded.
 * @example
 * ```ts
 * const report = await evaluateIdentities({ identitiesDir, modelDir, repoRoot, stderr: process.stderr });
 * ```
 */
export async function evaluateIdentities(
  options: EvaluateIdentitiesOptions,
): Promise<VerificationReport> {
  const { images, skipped } = await collectIdentities(options.identitiesDir);
  if (images.length === 0) {
    throw new Error(
      `No JPEG or PNG image found in ${options.identitiesDir} (expected <person>/<image>)`,
    );
  }
  const provenance = await collectProvenance(options.repoRoot, options.modelDir);
  const analyzer = await createOnnxFrameAnalyzer({ modelDir: options.modelDir });
  const progress = createProgress(options.stderr, images.length);
  for (const entry of skipped) progress.note(`skipped ${entry.path}: ${entry.error}`);
  const results: IdentityImageResult[] = [];
  const enrolled: { person: string; embedding: Float32Array }[] = [];
  try {
    for (const image of images) {
      let failure: string | null = null;
      try {
        const [frame] = (await loadFrames(image)).frames;
        if (!frame) throw new Error("no image decoded");
        // Enrolled as the server takes a document's face: the largest, with the same checks.
        const embedding = await analyzer.embedReference(frame, "document");
        enrolled.push({ person: image.person, embedding });
      } catch (err) {
        failure = message(err);
      }
      results.push({ path: image.path, person: image.person, enrolled: failure === null, failure });
      progress.tick(image.path, failure === null ? "enrolled" : `failure to enrol (${failure})`);
    }
  } finally {
    progress.done();
    await analyzer.close();
  }

  const pairs = formPairs(
    enrolled.map((e) => e.person),
    EVAL_LIMITS.maxImpostorPairs,
  );
  const distance = ([i, j]: readonly [number, number]): number =>
    faceDistance(enrolled[i]?.embedding ?? [], enrolled[j]?.embedding ?? []);
  const genuine = pairs.genuine.map(distance);
  const impostor = pairs.impostor.map(distance);
  const spec = getModelSpec(FACE_RECOGNITION_MODEL_ID);
  const inForce = DECISION_THRESHOLDS.standard.faceMatch.maxDistance;
  const policies = Object.fromEntries(
    Policy.options.map((policy) => {
      const { maxDistance, fmr } = DECISION_THRESHOLDS[policy].faceMatch;
      return [
        policy,
        {
          threshold: maxDistance,
          fmrSetFor: fmr,
          fmr: orNull(falseMatchRate(impostor, maxDistance)),
          fnmr: orNull(falseNonMatchRate(genuine, maxDistance)),
        },
      ];
    }),
  ) as VerificationReport["policies"];
  const failures = results.filter((r) => !r.enrolled).length;
  return {
    tool: "@lumen/eval",
    mode: "identities",
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    dataDir: options.identitiesDir,
    provenance,
    model: { id: spec.id, version: spec.version, sha256: spec.sha256 },
    comparison:
      "Euclidean distance between the 128-d embeddings of the largest face's dlib-style aligned chip; a pair at or below the threshold is a match",
    threshold: inForce,
    policies,
    sampling: {
      genuinePairs: "every pair of two enrolled images of the same person",
      impostorPairs: pairs.sampled
        ? `a systematic sample of ${EVAL_LIMITS.maxImpostorPairs} of the ${pairs.impostorAvailable} pairs of two people's enrolled images (every (available / ${EVAL_LIMITS.maxImpostorPairs})-th in sorted order)`
        : `every pair of two different people's enrolled images (at most ${EVAL_LIMITS.maxImpostorPairs} are compared, above that a systematic sample)`,
      impostorPairsAvailable: pairs.impostorAvailable,
      sampled: pairs.sampled,
    },
    limits: EVAL_LIMITS,
    counts: {
      persons: new Set(images.map((i) => i.person)).size,
      images: images.length,
      enrolled: enrolled.length,
      failureToEnrol: failures,
      failureToEnrolRate: failures / images.length,
      skipped: skipped.length,
    },
    verification: {
      genuinePairs: genuine.length,
      impostorPairs: impostor.length,
      fmr: orNull(falseMatchRate(impostor, inForce)),
      fnmr: orNull(falseNonMatchRate(genuine, inForce)),
      eer: verificationEer(genuine, impostor),
      fnmrAtFmr: {
        "0.01": fnmrAtFmr(genuine, impostor, 0.01),
        "0.001": fnmrAtFmr(genuine, impostor, 0.001),
      },
      det: verificationPoints(genuine, impostor),
      distances: { genuine: summarise(genuine), impostor: summarise(impostor) },
    },
    images: results,
    skipped,
  };
}
