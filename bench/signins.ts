import { percentile, round } from './processes.js';

export interface SignInBurstResult {
  /** Sign-ins posted at once. */
  burst: number;
  passwordLength: number;
  /** How the burst was answered, by HTTP status (303 signed in, "503 busy": try again in a few seconds). */
  answers: Record<string, number>;
  /** From the first post to the last answer. */
  burstMs: number;
  /** An unrelated `GET /login`, one after another: before the burst, and while it lasts. */
  idleLoginMs: { samples: number; p50: number; p95: number };
  duringLoginMs: { samples: number; p50: number; p95: number; p99: number };
}

/** As a TLS-terminating proxy forwards a request: without it the secure session cookie is not set. */
const PROXIED = { 'x-forwarded-proto': 'https' };

interface LoginForm {
  cookie: string;
  csrf: string;
}

/** The login form as a visitor gets it: its session cookie and CSRF token. */
async function loginForm(base: string): Promise<LoginForm> {
  const res = await fetch(`${base}/login`, { headers: PROXIED });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (res.status !== 200 || !csrf || !cookie) throw new Error(`GET /login answered ${res.status} without a form`);
  return { cookie, csrf };
}

/** Times `GET /login` (no cookie), back to back, until `stop()` says so. */
async function probe(base: string, stop: () => boolean, max = Infinity): Promise<number[]> {
  const times: number[] = [];
  while (!stop() && times.length < max) {
    const t0 = performance.now();
    const res = await fetch(`${base}/login`, { headers: PROXIED });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the probe's GET /login answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
};

/**
 * `burst` sign-ins posted at once (each with its own login form fetched beforehand), while a probe
 * times an unrelated `GET /login`, one request after another, until the last sign-in is answered.
 * Each sign-in is an argon2 verify (19 MiB, tens of milliseconds of a core): without a bound they
 * take every core and every libuv thread, and the probe waits behind them.
 */
export async function signInBurst(
  base: string,
  accounts: { username: string; password: string }[],
): Promise<SignInBurstResult> {
  const forms: LoginForm[] = [];
  for (let i = 0; i < accounts.length; i += 20)
    forms.push(...(await Promise.all(accounts.slice(i, i + 20).map(() => loginForm(base)))));
  await probe(base, () => false, 20); // warm-up
  const { p50: idleP50, p95: idleP95, samples: idleSamples } = stats(await probe(base, () => false, 100));

  let done = false;
  const during = probe(base, () => done);
  const t0 = performance.now();
  const answers = await Promise.all(
    accounts.map(async (a, i) => {
      const form = forms[i] as LoginForm;
      const res = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...PROXIED, cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
        body: new URLSearchParams({ _csrf: form.csrf, username: a.username, password: a.password }),
      });
      const page = await res.text();
      // 503 "busy" is the bound on password hashing asking to retry; any other 503 is not.
      return res.status === 503 && page.includes('Many people are signing in') ? '503 busy' : String(res.status);
    }),
  );
  const burstMs = round(performance.now() - t0, 0);
  done = true;
  const byStatus: Record<string, number> = {};
  for (const s of answers) byStatus[s] = (byStatus[s] ?? 0) + 1;
  return {
    burst: accounts.length,
    passwordLength: accounts[0]?.password.length ?? 0,
    answers: byStatus,
    burstMs,
    idleLoginMs: { samples: idleSamples, p50: idleP50, p95: idleP95 },
    duringLoginMs: stats(await during),
  };
}
