import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { maskToken, unmaskToken } from '../../src/http/security.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
});
afterAll(async () => {
  await t.close();
});

// The raw bytes over a real socket: supertest (and fetch) would decompress and hide them.
let base: string;
const raw = (path: string, encoding: string, cookie?: string) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': encoding, ...(cookie ? { cookie } : {}) };
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });

describe('text is served compressed', () => {
  it('the design-system CSS goes as brotli or gzip, a fraction of its size, and unpacks to the same bytes', async () => {
    const plain = await raw('/nhsuk/nhsuk-frontend.min.css', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await raw('/nhsuk/nhsuk-frontend.min.css', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 5);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await raw('/nhsuk/nhsuk-frontend.min.css', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('pages and scripts are compressed for browsers that accept it', async () => {
    const login = await raw('/login', 'gzip, br');
    expect(login.status).toBe(200);
    expect(login.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(login.body).toString()).toContain('<h1');
    const script = await raw('/public/js/living-room.js', 'gzip');
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(script.body).toString()).toContain('socket');
  });

  it('uploaded files are never compressed (byte ranges stay exact)', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const video = await t.db('videos').first('video_file_id', 'captions_file_id');
    expect(video?.captions_file_id).toBeTruthy(); // WebVTT: text, which compression would otherwise pick
    for (const fileId of [video?.captions_file_id, video?.video_file_id].filter(Boolean)) {
      const res = await clinician.get(`/files/${fileId}`).set('Accept-Encoding', 'gzip, br');
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });
});

describe('the CSRF token in compressed pages', () => {
  it('differs in every page (masked) and each masked copy is accepted', async () => {
    const agent = await signIn(t.app, 'anna');
    const first = await csrfFrom(agent, '/account');
    const second = await csrfFrom(agent, '/account');
    expect(first).not.toBe(second);
    expect(unmaskToken(first)).toBe(unmaskToken(second));
    for (const _csrf of [first, second]) {
      const res = await agent.post('/account/sessions/end-others').type('form').send({ _csrf });
      expect(res.status).toBeLessThan(400);
    }
    const forged = await agent
      .post('/account/sessions/end-others')
      .type('form')
      .send({ _csrf: 'x'.repeat(40) });
    expect(forged.status).toBe(403);
  });

  it("one page's forms share one masking (sign out and the page's own form), and the next page has another", async () => {
    const agent = await signIn(t.app, 'anna');
    const tokensOf = async (path: string) =>
      [...(await agent.get(path)).text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
    const room = await t.db('rooms').where({ name: 'Anorexia living room' }).first('id');
    const first = await tokensOf(`/rooms/${String(room?.id)}`);
    const second = await tokensOf(`/rooms/${String(room?.id)}`);
    expect(first.length).toBeGreaterThan(1);
    expect(new Set(first).size).toBe(1);
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
  });

  it('masking round-trips and malformed input unmasks to nothing', () => {
    expect(unmaskToken(maskToken('abc123'))).toBe('abc123');
    for (const bad of [undefined, '', 'a', '%%%', 'x'.repeat(3000), 42]) expect(unmaskToken(bad)).toBe('');
  });
});
