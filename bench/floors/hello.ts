import express from 'express';

/** Floor 1: a bare Express 5 hello-world. */
const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
app.get('/ping', (_req, res) => {
  res.send('ok');
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
