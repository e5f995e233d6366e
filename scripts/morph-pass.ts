import type { OpenAPI3 } from "openapi-typescript";
import { runTransforms, type Transform } from "./output-layout.js";
import { RESERVED_NAMES, SpecModel } from "./spec-model.js";
import { enumConstants } from "./transforms/enum-constants.js";
import { namedTypes } from "./transforms/named-types.js";
import { operations } from "./transforms/operations.js";
import { validators } from "./transforms/validators.js";

/**
 * The ts-morph pass's transforms, in the order they claim names: the same order whatever the
 * spec has, so the same spec always gets the same names.
 */
const TRANSFORMS: Transform[] = [namedTypes, enumConstants, validators, operations];

/**
 * The ts-morph pass: the modules openapi-typescript does not write, but Ajv's code. Returns
 * file name -> text (no banner), leaving out modules with nothing in them.
 */
export function morphPass(document: OpenAPI3): [string, string][] {
  return runTransforms("morph pass", new SpecModel(document, RESERVED_NAMES), TRANSFORMS);
}
