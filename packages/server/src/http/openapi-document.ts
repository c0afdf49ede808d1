import { z } from "zod";
import {
  AttachReferenceResponse,
  CreateSessionRequest,
  CreateSessionResponse,
  DeleteSessionResponse,
  ERROR_CODES,
  ErrorBody,
  EvidenceResponse,
  ResultTokenClaims,
  SessionResult,
  StartSessionRequest,
  StartSessionResponse,
  PROTOCOL_LIMITS,
  REFERENCE_MEDIA_TYPES,
  ReferenceKind,
  VerdictClaims,
} from "@lumen/protocol";

const SCHEMAS = {
  CreateSessionRequest,
  CreateSessionResponse,
  AttachReferenceResponse,
  StartSessionRequest,
  StartSessionResponse,
  ResultTokenClaims,
  EvidenceResponse,
  SessionResult,
  DeleteSessionResponse,
  VerdictClaims,
  ErrorBody,
} as const;

type SchemaName = keyof typeof SCHEMAS;

function component(schema: z.ZodType): Record<string, unknown> {
  const generated: Record<string, unknown> = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  });
  // OpenAPI 3.1 components are JSON Schema 2020-12 already; a per-component $schema is noise.
  delete generated.$schema;
  return generated;
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ content: { "application/json": { schema: ref(name) } } });
const errors = (...codes: (keyof typeof ERROR_CODES)[]) =>
  Object.fromEntries(
    [...new Set(codes.map((code) => ERROR_CODES[code].status))].map((status) => [
      String(status),
      {
        description: codes.filter((code) => ERROR_CODES[code].status === status).join(", "),
        ...json("ErrorBody"),
      },
    ]),
  );
const sessionId = { name: "id", in: "path", required: true, schema: { type: "string" } };

/**
 * The server's OpenAPI 3.1 document, generated from the protocol's zod schemas so it cannot drift
 * from what the server validates.
 *
 * @example
 * ```ts
 * const doc = openApiDocument("https://kyc.example.com");
 * ```
 */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "Lumen verification server", version: "1.0.0" },
    servers: [{ url: serverUrl }],
    components: {
      schemas: Object.fromEntries(
        Object.entries(SCHEMAS).map(([name, schema]) => [name, component(schema)]),
      ),
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "Relying-party API key" },
        clientToken: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      },
    },
    paths: {
      "/v1/sessions": {
        post: {
          summary: "Create a session (relying party)",
          security: [{ apiKey: [] }],
          requestBody: { required: false, ...json("CreateSessionRequest") },
          responses: {
            "201": { description: "Created", ...json("CreateSessionResponse") },
            ...errors("REQUEST_INVALID", "UNAUTHORIZED", "PAYLOAD_TOO_LARGE", "RATE_LIMITED"),
          },
        },
      },
      "/v1/sessions/{id}/reference-image": {
        put: {
          summary:
            "Attach the identity document's face to compare the live face with (relying party)",
          security: [{ apiKey: [] }],
          parameters: [
            sessionId,
            {
              name: "kind",
              in: "query",
              required: true,
              schema: { type: "string", enum: [...ReferenceKind.options] },
            },
          ],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              REFERENCE_MEDIA_TYPES.map((type) => [
                type,
                {
                  schema: {
                    type: "string",
                    format: "binary",
                    maxLength: PROTOCOL_LIMITS.maxReferenceBytes,
                  },
                },
              ]),
            ),
          },
          responses: {
            "200": { description: "Attached", ...json("AttachReferenceResponse") },
            ...errors(
              "REQUEST_INVALID",
              "IMAGE_INVALID",
              "REFERENCE_UNUSABLE",
              "UNAUTHORIZED",
              "SESSION_NOT_FOUND",
              "SESSION_STATE_CONFLICT",
              "SESSION_EXPIRED",
              "PAYLOAD_TOO_LARGE",
              "RATE_LIMITED",
              "BUSY",
            ),
          },
        },
      },
      "/v1/sessions/{id}/start": {
        post: {
          summary: "Start a session and receive its challenge (SDK)",
          security: [{ clientToken: [] }],
          parameters: [sessionId],
          requestBody: { required: true, ...json("StartSessionRequest") },
          responses: {
            "200": { description: "Started", ...json("StartSessionResponse") },
            ...errors(
              "REQUEST_INVALID",
              "UNAUTHORIZED",
              "FORBIDDEN",
              "SESSION_NOT_FOUND",
              "SESSION_STATE_CONFLICT",
              "SESSION_EXPIRED",
              "PAYLOAD_TOO_LARGE",
              "RATE_LIMITED",
            ),
          },
        },
      },
      "/v1/sessions/{id}/evidence": {
        post: {
          summary: "Upload the result token and frames (SDK)",
          parameters: [sessionId],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["token", "frame0"],
                  properties: {
                    token: {
                      type: "string",
                      description: "Compact JWS; claims: ResultTokenClaims",
                    },
                  },
                  patternProperties: {
                    "^frame(0|[1-9][0-9]?)$": { type: "string", format: "binary" },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          responses: {
            "200": { description: "Outcome", ...json("EvidenceResponse") },
            ...errors(
              "REQUEST_INVALID",
              "TOKEN_INVALID",
              "SESSION_NOT_FOUND",
              "SESSION_STATE_CONFLICT",
              "SESSION_EXPIRED",
              "PAYLOAD_TOO_LARGE",
              "RATE_LIMITED",
              "BUSY",
            ),
          },
        },
      },
      "/v1/sessions/{id}": {
        get: {
          summary: "Read a session's status and verdict (relying party)",
          security: [{ apiKey: [] }],
          parameters: [sessionId],
          responses: {
            "200": { description: "Session", ...json("SessionResult") },
            ...errors("UNAUTHORIZED", "SESSION_NOT_FOUND"),
          },
        },
        delete: {
          summary: "Erase a session's frames and personal data (relying party)",
          security: [{ apiKey: [] }],
          parameters: [sessionId],
          responses: {
            "200": { description: "Deleted", ...json("DeleteSessionResponse") },
            ...errors("UNAUTHORIZED", "SESSION_NOT_FOUND"),
          },
        },
      },
      "/v1/sessions/{id}/frames/{n}": {
        get: {
          summary: "Download an audit frame (relying party)",
          security: [{ apiKey: [] }],
          parameters: [
            sessionId,
            { name: "n", in: "path", required: true, schema: { type: "integer", minimum: 0 } },
          ],
          responses: {
            "200": {
              description: "JPEG",
              content: { "image/jpeg": { schema: { type: "string", format: "binary" } } },
            },
            ...errors("UNAUTHORIZED", "SESSION_NOT_FOUND", "FRAME_NOT_FOUND"),
          },
        },
      },
      "/.well-known/jwks.json": {
        get: {
          summary: "The server's public signing keys",
          responses: { "200": { description: "JWKS" } },
        },
      },
      "/healthz": { get: { summary: "Liveness", responses: { "200": { description: "OK" } } } },
    },
  };
}
