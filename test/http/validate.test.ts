import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport, makeUser } from '../helpers/factories.js';

// Validation declared at the edge (src/http/validate.ts): an action route refuses what it did not
// ask for before anything happens, and no parse anywhere in src/ has its result thrown away.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('action routes refuse an unexpected field or a bad id with 400, and nothing happens', () => {
  it('dismissing a report: an extra field or a bad id is a 400 and the report stays open; the plain form dismisses it', async () => {
    const messageId = await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna') });
    const reportId = await makeReport(t.db, { messageId, reporterId: ids.user('peermod') });
    const clinician = await signIn(t.app, 'clinician');
    const queue = `/subnets/${ids.subnet('eating-disorders')}/moderation`;
    expect(
      (await postForm(clinician, `/moderation/reports/${reportId}/dismiss`, { outcome: 'removed' }, queue)).status,
    ).toBe(400);
    expect((await postForm(clinician, '/moderation/reports/not-a-number/dismiss', {}, queue)).status).toBe(400);
    expect((await t.db('reports').where({ id: reportId }).first()).status).toBe('open');
    expect((await postForm(clinician, `/moderation/reports/${reportId}/dismiss`, {}, queue)).status).toBe(303);
    expect((await t.db('reports').where({ id: reportId }).first()).status).toBe('closed');
  });

  it('reinstating an account (admin): an extra field or a malformed id is a 400 and the account stays suspended', async () => {
    const member = await makeUser(t.db, {
      status: 'suspended',
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
    });
    const admin = await signIn(t.app, 'admin');
    expect(
      (await postForm(admin, `/admin/accounts/${member.id}/reinstate`, { role: 'admin' }, '/admin/accounts')).status,
    ).toBe(400);
    expect((await postForm(admin, '/admin/accounts/nope/reinstate', {}, '/admin/accounts')).status).toBe(400);
    expect((await t.db('users').where({ id: member.id }).first()).status).toBe('suspended');
  });

  it('reinstating a member (clinician): an extra field is a 400 and the member stays suspended', async () => {
    const member = await makeUser(t.db, {
      status: 'suspended',
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
    });
    const clinician = await signIn(t.app, 'clinician');
    const page = `/subnets/${ids.subnet('eating-disorders')}/members/${member.id}`;
    expect((await postForm(clinician, `${page}/reinstate`, { subnet_id: ids.subnet('eating-disorders') })).status).toBe(
      400,
    );
    expect((await t.db('users').where({ id: member.id }).first()).status).toBe('suspended');
  });

  it('marking all notifications read: an extra field is a 400 and they stay unread', async () => {
    await t.db('notifications').insert({
      user_id: ids.user('anna'),
      kind: 'thread_reply',
      link: '/',
      room_id: ids.room('Anorexia living room'),
    });
    const anna = await signIn(t.app, 'anna');
    const unread = async () =>
      Number(
        (
          await t
            .db('notifications')
            .where({ user_id: ids.user('anna') })
            .whereNull('read_at')
            .count('* as n')
            .first()
        )?.n,
      );
    expect(await unread()).toBeGreaterThan(0);
    const res = await postForm(anna, '/notifications/read-all', { userId: ids.user('bella') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem with the request');
    expect(await unread()).toBeGreaterThan(0);
  });

  it('ending other sessions: an extra field is a 400 and the other session still works', async () => {
    const laptop = await signIn(t.app, 'anna');
    const phone = await signIn(t.app, 'anna');
    expect((await postForm(laptop, '/account/sessions/end-others', { all: 'yes' }, '/account/sessions')).status).toBe(
      400,
    );
    expect((await phone.get('/account')).status).toBe(200);
  });

  it('a bad id answers the JSON client with { error } and a 400', async () => {
    const anna = await signIn(t.app, 'anna');
    const res = await anna
      .post('/notifications/0/open')
      .set('Accept', 'application/json')
      .set('x-csrf-token', await csrfOf(anna))
      .send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad_params' });
  });
});

async function csrfOf(agent: Awaited<ReturnType<typeof signIn>>): Promise<string> {
  const m = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text);
  if (!m?.[1]) throw new Error('no CSRF token');
  return m[1];
}

/** Parse calls (`parseForm(...)`, `x.safeParse(...)`, `x.parse(...)`) whose result is dropped. */
function discardedParses(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isParse = (call: ts.CallExpression) => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return callee.text === 'parseForm';
    return (
      ts.isPropertyAccessExpression(callee) &&
      ['safeParse', 'parse', 'safeParseAsync', 'parseAsync'].includes(callee.name.text)
    );
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && isParse(node)) {
      // Dropped: the statement itself, or only wrapped in calls/awaits that are themselves the statement.
      let up: ts.Node = node;
      while (
        ts.isCallExpression(up.parent) ||
        ts.isAwaitExpression(up.parent) ||
        ts.isParenthesizedExpression(up.parent)
      )
        up = up.parent;
      if (ts.isExpressionStatement(up.parent) || ts.isVoidExpression(up.parent)) {
        found.push(
          `${fileName}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 60)}`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('no parse result is discarded', () => {
  it('the check finds a dropped parse (so it can fail)', () => {
    const sample =
      'parseForm(Empty, req.body);\nform(parseForm(A, b));\nawait S.safeParseAsync(x);\nconst ok = S.safeParse(x);\n';
    expect(discardedParses('sample.ts', sample)).toHaveLength(3);
  });

  it('no file in src/ calls parseForm, safeParse or parse and throws the result away', () => {
    const dropped = tsFiles('src').flatMap((f) => discardedParses(f, readFileSync(f, 'utf8')));
    expect(dropped).toEqual([]);
  });
});
