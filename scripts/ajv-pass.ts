import type { OpenAPI3 } from "openapi-typescript";
import { runTransforms } from "./output-layout.js";
import { RESERVED_NAMES, SpecModel } from "./spec-model.js";
import { ajvValidators, type KeptBlocks } from "./transforms/ajv-code.js";

/**
 * The Ajv pass: `ajv-validators.js`, Ajv's standalone code for the spec's
 * schemas. It shares nothing with the ts-morph pass but the document, so the
 * two run in separate workers, side by side. `kept`: the blocks of earlier runs (see KeptBlocks).
 */
export function ajvPass(document: OpenAPI3, kept?: KeptBlocks): [string, string][] {
  return runTransforms("ajv pass", new SpecModel(document, RESERVED_NAMES), [ajvValidators(kept)]);
}
