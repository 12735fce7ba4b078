import ejs from 'ejs';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';

/**
 * EJS templates without `with`. By default EJS wraps each compiled template in
 * `with (locals) { ... }`, so every name a template uses (`__append` and `escapeFn` too, on every
 * line of output) is looked up through the locals object at run time: a 50-message living-room
 * list rendered about four times slower than the same template without it (measured; see
 * docs/benchmarks.md). Here each template, as it is read, declares the names it uses once at its
 * top, each taken from the locals when they have it and otherwise from the globals (JSON, Math...)
 * as `with` would, and the template's own code runs in a block below, so that its own `const`s
 * and loop variables shadow those declarations. Templates are written as before.
 *
 * A name a template uses that neither the locals nor the globals hold is `undefined` here, where
 * `with` threw a ReferenceError: `typeof x === 'undefined'` checks behave the same. Assigning to a
 * local changes it for the rest of that template only (no template does).
 */
export const VIEW_OPTIONS = { _with: false, localsName: 'locals' } as const;

/** EJS's own names in a compiled template (its parameters and the output buffer). */
const EJS_NAMES = new Set([
  'undefined',
  'locals',
  'escapeFn',
  'include',
  'rethrow',
  '__output',
  '__append',
  '__line',
  '__lines',
  '__filename',
  '__locals',
]);

const declared = new Map<string, string>();

/** The names a template's code reads (every identifier in an expression), EJS's own left out. */
export function namesUsedBy(template: string): string[] {
  const compiled = new ejs.Template(template, { ...VIEW_OPTIONS, compileDebug: false });
  compiled.compile();
  const ast = parse(`(function (locals, escapeFn, include, rethrow) {\n${compiled.source}\n})`, {
    ecmaVersion: 'latest',
  });
  const names = new Set<string>();
  simple(ast, {
    Identifier(node) {
      if (!EJS_NAMES.has(node.name)) names.add(node.name);
    },
  });
  return [...names].sort();
}

/**
 * The template with its names declared at the top and its code in a block. Nothing is added on a
 * new line, so line numbers in EJS's error messages stay those of the file.
 */
export function withDeclaredLocals(template: string): string {
  let out = declared.get(template);
  if (out === undefined) {
    const names = namesUsedBy(template);
    const head = names.length
      ? `var ${names.map((n) => `${n} = ${JSON.stringify(n)} in locals ? locals.${n} : globalThis.${n}`).join(', ')}; `
      : '';
    out = `<% ${head}{ %>${template}<% } %>`;
    declared.set(template, out);
  }
  return out;
}

/** Every template EJS reads from now on (pages and includes) is read through `withDeclaredLocals`. */
export function declareTemplateLocals(): void {
  const read = ejs.fileLoader;
  if ((read as { declaresLocals?: boolean }).declaresLocals) return;
  const loader = Object.assign((filePath: string) => withDeclaredLocals(String(read(filePath))), {
    declaresLocals: true,
  });
  ejs.fileLoader = loader as typeof ejs.fileLoader;
}
