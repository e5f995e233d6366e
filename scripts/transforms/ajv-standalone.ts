import { createRequire } from "node:module";
import type { Ajv } from "ajv";
import type * as CodeModule from "ajv/dist/compile/codegen/code.js";
import type * as ScopeModule from "ajv/dist/compile/codegen/scope.js";
import type { SourceCode } from "ajv/dist/types/index.js";

const require = createRequire(import.meta.url);

/**
 * Ajv's `standaloneCode(ajv, refs)` (ajv 8's `standalone/index.js`), the same
 * module text in linear time. Ajv's own appends each export to one growing code
 * object, which copies every item so far: quadratic in the number of exports,
 * 3.4 s of the 7.6 s a 1,000-operation spec took. This keeps Ajv's code for each
 * function (`scopeCode` and the compiled source) and changes only that loop,
 * collecting strings instead; then `linearErrors` fixes the same flaw in the
 * functions themselves.
 */
export function standaloneExports(ajv: Ajv, refs: Record<string, string>): string {
  const { _, _Code, getEsmExportName, nil } = require("ajv/dist/compile/codegen/code.js") as typeof CodeModule;
  const { UsedValueState } = require("ajv/dist/compile/codegen/scope.js") as typeof ScopeModule;
  type Name = ScopeModule.ValueScopeName;
  const { _n } = ajv.scope.opts;
  const usedValues: ScopeModule.UsedScopeValues = {};

  const usedState = (name: Name) => usedValues[name.prefix]?.get(name);
  const setUsedState = (name: Name, state: ScopeModule.UsedValueState) => {
    const names = usedValues[name.prefix] ?? new Map();
    usedValues[name.prefix] = names;
    names.set(name, state);
  };

  function validateCode(source: SourceCode | undefined): CodeModule.Code {
    if (!source) throw new Error('moduleCode: function does not have "source" property');
    if (usedState(source.validateName) === UsedValueState.Completed) return nil;
    setUsedState(source.validateName, UsedValueState.Started);
    const scopeCode = ajv.scope.scopeCode(source.scopeValues, usedValues, refValidateCode);
    const code = new _Code(`${scopeCode}${_n}${source.validateCode}`);
    return source.evaluated ? _`${code}${source.validateName}.evaluated = ${source.evaluated};${_n}` : code;
  }

  function refValidateCode(name: Name): CodeModule.Code | undefined {
    const ref: unknown = name.value?.ref;
    if (name.prefix === "validate" && typeof ref === "function")
      return validateCode((ref as { source?: SourceCode }).source);
    if ((name.prefix === "root" || name.prefix === "wrapper") && typeof ref === "object" && ref !== null) {
      const { validate, validateName } = ref as { validate?: { source?: SourceCode }; validateName?: Name };
      if (!validateName) throw new Error("ajv internal error");
      const wrapper = _`const ${name} = {validate: ${validateName}};`;
      if (usedState(validateName) === UsedValueState.Started) return wrapper;
      return _`${wrapper}${_n}${validateCode(validate?.source)}`;
    }
    return undefined;
  }

  const parts = [`"use strict";`];
  for (const [name, id] of Object.entries(refs)) {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`moduleCode: no schema with id ${id}`);
    const code = validateCode(validate.source);
    parts.push(`${_n}${_`export const ${getEsmExportName(name)} = ${validate.source?.validateName};${_n}${code}`}`);
  }
  return linearErrors(parts.join(""));
}

/**
 * Ajv's code with each referenced function's errors appended in place rather
 * than concatenated. With `allErrors` and `inlineRefs: false`, Ajv writes
 * `vErrors = vErrors.concat(validateN.errors)` after each failing call, which
 * copies every error so far: an array of n bad items referencing one schema
 * (40,000 bad `domains`) cost n²/2 copies, 17 s of blocked event loop. The
 * callee's array is made fresh by each call and read only here, so the first
 * one is taken over as it is and later ones are pushed onto it: each error is
 * added once.
 */
export function linearErrors(code: string): string {
  return code.replace(
    /vErrors = vErrors === null \? ([\w$.]+\.errors) : vErrors\.concat\(\1\);/g,
    (_match, errors: string) =>
      `if(vErrors === null){vErrors = ${errors};}else {for(const err of ${errors}){vErrors.push(err);}}`,
  );
}
