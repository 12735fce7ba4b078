import http from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const WEBM = readFileSync(new URL('../../seeds/media/first-step-welcome.webm', import.meta.url));
const VTT = readFileSync(new URL('../../seeds/media/first-step-welcome.vtt', import.meta.url));
const PNG = readFileSync(new URL('../../seeds/media/first-step-welcome-poster.png', import.meta.url));

beforeAll(async () => {
  t = await startTestApp({ UPLOAD_MAX_MB: '400' });
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const tv = () => ids.room('First Step television');
const demoVideo = async () => t.db('videos').where({ title: 'Welcome to First Step' }).first();

async function upload(
  agent: TestAgent,
  url: string,
  fields: Record<string, string>,
  files: Record<string, { buffer: Buffer; name: string }>,
) {
  const _csrf = await csrfFrom(agent, '/');
  let req = agent.post(url).field('_csrf', _csrf);
  for (const [k, v] of Object.entries({
    title: 'A video',
    description: '',
    transcript: '',
    status: 'published',
    ...fields,
  }))
    req = req.field(k, v);
  for (const [k, f] of Object.entries(files)) req = req.attach(k, f.buffer, { filename: f.name });
  return req;
}

describe('uploading videos', () => {
  it('a clinician uploads a WebM with a poster and captions; it plays from a private URL', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await upload(
      clinician,
      `/rooms/${tv()}/videos`,
      { title: 'Breathing exercise', transcript: 'Breathe in, breathe out.' },
      {
        video: { buffer: WEBM, name: 'breathing.webm' },
        poster: { buffer: PNG, name: 'poster.png' },
        captions: { buffer: VTT, name: 'captions.vtt' },
      },
    );
    expect(res.status).toBe(303);
    const video = await t.db('videos').where({ title: 'Breathing exercise' }).first();
    const page = await clinician.get(`/videos/${video.id}`);
    expect(page.text).toContain(`<source src="/files/${video.video_file_id}" type="video/webm">`);
    expect(page.text).toContain(`<track kind="captions" src="/files/${video.captions_file_id}"`);
    expect(page.text).toContain('Breathe in, breathe out.');
  });

  it('a file named .mp4 that is not a video is refused with a clear error; nothing is stored or left on disk', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = readdirSync(t.config.uploads.dir).length;
    const res = await upload(
      clinician,
      `/rooms/${tv()}/videos`,
      { title: 'Fake video' },
      { video: { buffer: Buffer.from('<html><script>alert(1)</script></html>'), name: 'movie.mp4' } },
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('The video must be MP4 or WEBM');
    expect(res.text).toContain('value="Fake video"');
    expect(await t.db('videos').where({ title: 'Fake video' }).first()).toBeUndefined();
    expect(readdirSync(t.config.uploads.dir).length).toBe(before);
  });

  it('captions must really be WebVTT', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await upload(
      clinician,
      `/rooms/${tv()}/videos`,
      { title: 'Bad captions' },
      {
        video: { buffer: WEBM, name: 'v.webm' },
        captions: { buffer: Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nSRT, not VTT'), name: 'c.vtt' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('The captions file must be VTT');
  });

  it('a video is required when creating', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await upload(clinician, `/rooms/${tv()}/videos`, { title: 'No video' }, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose a video file');
  });

  it('a video over the size limit gets 413 with a clear error, and nothing is kept', async () => {
    const small = await startTestApp({ UPLOAD_MAX_MB: '1' });
    try {
      const clinician = await signIn(small.app, 'clinician');
      const big = Buffer.concat([WEBM, Buffer.alloc(2 * 1024 * 1024)]);
      const before = readdirSync(small.config.uploads.dir).length;
      const res = await upload(
        clinician,
        `/rooms/${tv()}/videos`,
        { title: 'Too big' },
        { video: { buffer: big, name: 'big.webm' } },
      );
      expect(res.status).toBe(413);
      expect(res.text).toContain('The video must be smaller than 1 MB');
      expect(readdirSync(small.config.uploads.dir).length).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('an admin uploads from the admin pages, and still cannot watch in the room', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await upload(
      admin,
      `/admin/rooms/${tv()}/videos`,
      { title: 'From the admin pages' },
      { video: { buffer: WEBM, name: 'v.webm' } },
    );
    expect(res.status).toBe(303);
    const video = await t.db('videos').where({ title: 'From the admin pages' }).first();
    expect((await admin.get(`/videos/${video.id}`)).status).toBe(404);
    expect((await admin.get(`/admin/videos/${video.id}/edit`)).status).toBe(200);
  });

  for (const user of ['peermod', 'anna', 'carer', 'admin']) {
    it(`${user} cannot upload into the First Step television from the room`, async () => {
      const agent = await signIn(t.app, user);
      const res = await upload(
        agent,
        `/rooms/${tv()}/videos`,
        { title: `Upload by ${user}` },
        { video: { buffer: WEBM, name: 'v.webm' } },
      );
      expect([403, 404]).toContain(res.status);
      expect(
        await t
          .db('videos')
          .where({ title: `Upload by ${user}` })
          .first(),
      ).toBeUndefined();
    });
  }
});

describe('serving video files', () => {
  it('answers Range requests: first bytes, middle, suffix, and 416 when unsatisfiable', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const url = `/files/${(await demoVideo()).video_file_id}`;
    const size = WEBM.length;
    const first = await clinician
      .get(url)
      .set('Range', 'bytes=0-99')
      .buffer(true)
      .parse((res, cb) => {
        const c: Buffer[] = [];
        res.on('data', (d: Buffer) => c.push(d));
        res.on('end', () => cb(null, Buffer.concat(c)));
      });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${size}`);
    expect(first.headers['content-length']).toBe('100');
    expect(Buffer.compare(first.body as Buffer, WEBM.subarray(0, 100))).toBe(0);
    const middle = await clinician.get(url).set('Range', 'bytes=1000-1999');
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 1000-1999/${size}`);
    const suffix = await clinician.get(url).set('Range', 'bytes=-100');
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    const unsatisfiable = await clinician.get(url).set('Range', `bytes=${size + 10}-`);
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe(`bytes */${size}`);
    const whole = await clinician.get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['cache-control']).toBe('private, no-store');
    expect(whole.headers['content-type']).toBe('video/webm');
  });

  it('every demo user tries the video page and each of its files directly', async () => {
    const v = await demoVideo();
    const urls = [
      `/videos/${v.id}`,
      `/files/${v.video_file_id}`,
      `/files/${v.poster_file_id}`,
      `/files/${v.captions_file_id}`,
    ];
    const opens: Record<string, number> = {
      clinician: 200,
      admin: 404,
      peermod: 404,
      anna: 404,
      bella: 404,
      carer: 404,
    };
    for (const [user, status] of Object.entries(opens)) {
      const agent = await signIn(t.app, user);
      for (const url of urls)
        expect(`${user} ${url} ${(await agent.get(url)).status}`).toBe(`${user} ${url} ${status}`);
    }
    const nobody = await request(t.app).get(`/files/${v.video_file_id}`).set('Accept', 'video/webm');
    expect(nobody.status).toBe(401);
  });

  it('a First Step member watches the video with captions; a draft and its files are hidden from members', async () => {
    await makeUser(t.db, {
      username: 'waiting1',
      nickname: 'Waiting One',
      subnetId: ids.subnet('first-step'),
      cohortId: ids.cohort('first-step/waiting'),
    });
    const member = await signIn(t.app, 'waiting1');
    const v = await demoVideo();
    expect((await member.get(`/videos/${v.id}`)).status).toBe(200);
    const captions = await member.get(`/files/${v.captions_file_id}`);
    expect(captions.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(captions.text).toContain('Welcome to First Step.');
    await t.db('videos').where({ id: v.id }).update({ status: 'draft' });
    expect((await member.get(`/videos/${v.id}`)).status).toBe(404);
    expect((await member.get(`/files/${v.video_file_id}`)).status).toBe(404);
    expect((await member.get(`/rooms/${tv()}`)).text).not.toContain('Welcome to First Step');
    await t.db('videos').where({ id: v.id }).update({ status: 'published' });
  });
});

describe('a large upload', () => {
  it('streams to disk with bounded memory (300 MB through, resident memory grows far less)', async () => {
    const base = await t.listen();
    const cookie = await (async () => {
      const { sessionCookie } = await import('../helpers/sockets.js');
      return sessionCookie(base, 'clinician');
    })();
    const page = await fetch(`${base}/rooms/${tv()}/videos/new`, { headers: { Cookie: cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const boundary = 'sharonboundary123';
    const total = 300 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nLarge video\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="status"\r\n\r\ndraft\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="large.webm"\r\nContent-Type: video/webm\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    async function* body() {
      yield head;
      yield WEBM;
      for (let sent = WEBM.length; sent < total; sent += chunk.length) yield chunk;
      yield tail;
    }
    global.gc?.();
    const startRss = process.memoryUsage().rss;
    let peak = startRss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/rooms/${tv()}/videos`,
        {
          method: 'POST',
          headers: { Cookie: cookie, Origin: base, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      Readable.from(body()).pipe(req);
    });
    clearInterval(sampler);
    expect(status).toBe(303);
    const video = await t
      .db('videos as v')
      .join('files as f', 'f.id', 'v.video_file_id')
      .where('v.title', 'Large video')
      .first('f.size');
    expect(Number(video.size)).toBeGreaterThan(total - 1024 * 1024);
    expect(peak - startRss).toBeLessThan(100 * 1024 * 1024);
  });
});
