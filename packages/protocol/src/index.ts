export { ERROR_CODES, type LumenErrorCode } from "./error-codes.ts";
export { LumenError } from "./lumen-error.ts";
