import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { parse } from 'acorn';
import { full } from 'acorn-walk';
import { describe, expect, it } from 'vitest';
import { declareTemplateLocals, namesUsedBy, VIEW_OPTIONS, withDeclaredLocals } from '../../src/http/view-locals.js';
import { createFormatters } from '../../src/http/format.js';

const VIEWS = path.resolve('views');
// Includes are read as the app reads them.
declareTemplateLocals();
const templates = readdirSync(VIEWS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));

/** The same template the EJS default way (inside `with`) and ours, on the same locals. */
function both(text: string, locals: Record<string, unknown>) {
  const withWith = ejs.compile(text, { root: VIEWS, compileDebug: false })(locals);
  const declared = ejs.compile(withDeclaredLocals(text), { root: VIEWS, ...VIEW_OPTIONS, compileDebug: false })(locals);
  return { withWith, declared };
}

type Node = { type: string; [key: string]: unknown };

/** Names a template assigns to without declaring them (under `with` that changed the locals). */
function assignedLocals(text: string): string[] {
  const t = new ejs.Template(text, { ...VIEW_OPTIONS, compileDebug: false });
  t.compile();
  const ast = parse(`(function (locals, escapeFn, include, rethrow) {\n${t.source}\n})`, { ecmaVersion: 'latest' });
  const declared = new Set<string>(['__output']);
  const assigned: string[] = [];
  const bind = (p: Node | null | undefined): void => {
    if (!p) return;
    if (p.type === 'Identifier') declared.add(p.name as string);
    else if (p.type === 'ObjectPattern') (p.properties as Node[]).forEach((q) => bind((q.value ?? q.argument) as Node));
    else if (p.type === 'ArrayPattern') (p.elements as Node[]).forEach(bind);
    else if (p.type === 'AssignmentPattern') bind(p.left as Node);
    else if (p.type === 'RestElement') bind(p.argument as Node);
  };
  full(ast, (n) => {
    const node = n as unknown as Node;
    if (node.type === 'VariableDeclarator') bind(node.id as Node);
    if (['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].includes(node.type)) {
      bind(node.id as Node | null);
      (node.params as Node[]).forEach(bind);
    }
    const target = (
      node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null
    ) as Node | null;
    if (target?.type === 'Identifier') assigned.push(target.name as string);
  });
  return assigned.filter((name) => !declared.has(name));
}

describe('templates compiled without `with`', () => {
  it.each(templates)('%s compiles with its names declared, and with no `with` block', (file) => {
    const text = readFileSync(path.join(VIEWS, file), 'utf8');
    const t = new ejs.Template(withDeclaredLocals(text), { root: VIEWS, ...VIEW_OPTIONS, filename: file });
    t.compile();
    expect(t.source).not.toMatch(/\bwith \(/);
    // Assigning to a local would now change it for this template only (STYLE.md: do not).
    expect(assignedLocals(text)).toEqual([]);
  });

  it('catches a template that assigns to a local', () => {
    expect(assignedLocals('<% title = title + "!" %><% let n = 1; n++; %><% for (const x of xs) { %><% } %>')).toEqual([
      'title',
    ]);
  });

  it('renders the living room message list exactly as before', () => {
    const text = readFileSync(path.join(VIEWS, 'chat/messages.ejs'), 'utf8');
    const messages = [
      {
        id: 1,
        nickname: 'Robin <b>',
        badge: null,
        body: 'a "quoted" & <i>body</i>',
        createdAt: '2026-12-01T20:10:25Z',
        status: 'visible',
      },
      {
        id: 2,
        nickname: 'Dr Lee',
        badge: 'Clinician',
        body: 'held one',
        createdAt: '2026-12-01T20:11:25Z',
        status: 'held',
      },
      { id: 3, nickname: 'Sam', badge: null, body: 'declined', createdAt: '2026-12-01T20:12:25Z', status: 'declined' },
    ];
    for (const can of [
      { report: true, moderate: false },
      { report: true, moderate: true },
    ]) {
      const locals = { messages, can, fmt: createFormatters('Europe/London'), csrfToken: () => 'token-1' };
      const { withWith, declared } = both(text, locals);
      expect(declared).toBe(withWith);
      expect(declared).toContain('Robin &lt;b&gt;');
    }
  });

  it('takes a name from the locals before the globals, and a global when the locals do not have it', () => {
    const text = '<%= JSON.stringify(list) %>|<%= Math.max(...list) %>|<%= typeof missing %>|<%= String(name) %>';
    const { withWith, declared } = both(text, { list: [1, 3], Math: { max: () => 'local Math' }, name: 'N' });
    expect(declared).toBe(withWith);
    expect(declared).toBe('[1,3]|local Math|undefined|N');
  });

  it("lets a template's own declarations and loop variables shadow the declared names", () => {
    const text =
      '<% const item = "mine"; %><%= item %><% for (const x of xs) { %>,<%= x %><% } %><% const f = (x) => x * 2; %>:<%= f(x) %>';
    const { withWith, declared } = both(text, { item: 'theirs', xs: [1, 2], x: 5 });
    expect(declared).toBe(withWith);
    expect(declared).toBe('mine,1,2:10');
  });

  it('keeps line numbers in error messages (nothing is added on a new line)', () => {
    const text = 'line 1\nline 2\n<%= boom() %>\n';
    const render = ejs.compile(withDeclaredLocals(text), { ...VIEW_OPTIONS, filename: 'boom.ejs', compileDebug: true });
    expect(() =>
      render({
        boom: () => {
          throw new Error('kaboom');
        },
      }),
    ).toThrow(/boom\.ejs:3/);
  });

  it('finds the names a template reads, not property names or EJS internals', () => {
    expect(namesUsedBy('<%= a.b %><%- include("/x", { c: d }) %><% if (e) { %><%= f[g] %><% } %>')).toEqual([
      'a',
      'd',
      'e',
      'f',
      'g',
      's',
    ]);
  });
});
