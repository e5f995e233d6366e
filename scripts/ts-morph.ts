// ts-morph for the transforms, loaded with `require`: it is CommonJS, and an ESM `import`
// of a CommonJS module first has Node scan the whole source for its export names, a cost
// the generator pays on every run for nothing.
import type * as TsMorph from "ts-morph";
import { loadPeer } from "./spec-reader/peers.js";

export type { StatementStructures, WriterFunction } from "ts-morph";
export const { printStructure, StructureKind, VariableDeclarationKind } = loadPeer<typeof TsMorph>("ts-morph");
