import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';

/**
 * Floor 2: Express + express-session on connect-pg-simple + one indexed SELECT + an EJS page of
 * about the size of our living-room page. The same session table and cookie as the app.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const PgStore = connectPgSimple(session);
const app = express();
app.set('view engine', 'ejs');
app.set('views', path.dirname(fileURLToPath(import.meta.url)));
app.set('view cache', true);
app.get('/ping', (_req, res) => {
  res.send('ok');
});
app.use(
  session({
    name: process.env.COOKIE_NAME,
    store: new PgStore({ pool, tableName: 'session' }),
    secret: String(process.env.SESSION_SECRET),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 30 * 60_000 },
  }),
);
// Lines of text that bring the page to FLOOR_PAGE_BYTES (the living-room page's size).
const lineOf = (i: number) => `Line ${i}: a paragraph of text standing in for the page's content.`;
const bytesPerLine = Buffer.byteLength(`  <li><p>${lineOf(100)}</p></li>\n`);
const padding = Math.max(0, Math.floor((Number(process.env.FLOOR_PAGE_BYTES ?? 20_000) - 300) / bytesPerLine));
app.get('/', async (req, res, next) => {
  try {
    const userId = (req.session as unknown as { passport?: { user?: string } }).passport?.user;
    if (!userId) return void res.status(401).send('sign in');
    const { rows } = await pool.query('SELECT id, nickname, role FROM users WHERE id = $1', [userId]);
    res.render('page', { user: rows[0], lines: Array.from({ length: padding }, (_, i) => lineOf(i)) });
  } catch (e) {
    next(e);
  }
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
