import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'coverage/', 'bench/results/', 'bench/.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' }],
    },
  },
  // Issue 14 item 7, the habits that keep the house: files and functions stay small (STYLE.md §9),
  // and a feature reaches another feature through its service, never its repository (STYLE.md §1).
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*/*.repo.js', '../*/*.repo'], message: "Call the other feature's service, not its repository (STYLE.md §1)." }],
      }],
    },
  },
  // TODO(issue 14 item 2): the files that still import another feature's repository when the rule
  // came in. The module move takes them off; remove each from this list as it stops offending.
  {
    files: [
      'src/account/account.routes.ts',
      'src/account/two-factor.routes.ts',
      'src/admin/accounts.routes.ts',
      'src/admin/admin.service.ts',
      'src/chat/chat.socket.ts',
      'src/chat/history.repo.ts',
      'src/chat/send.repo.ts',
      'src/cli/create-admin.ts',
      'src/keys/keys.routes.ts',
      'src/keys/keys.service.ts',
      'src/members/members.service.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  // TODO(issue 14): route and socket registrations longer than 80 lines when the rule came in; each
  // is held at its size then (so it cannot grow) until it is split into smaller handlers.
  ...[
    ['src/admin/accounts.routes.ts', 120], // adminAccountRoutes
    ['src/admin/subnets.routes.ts', 90], // adminSubnetRoutes
    ['src/auth/auth.routes.ts', 100], // authRoutes
    ['src/chat/chat.socket.ts', 130], // registerChatHandlers and its connection handler
    ['src/db/embedded.ts', 90], // startEmbeddedPostgres
    ['src/noticeboard/noticeboard.routes.ts', 110], // noticeboardRoutes
  ].map(([file, max]) => ({ files: [file], rules: { 'max-lines-per-function': ['error', { max, skipBlankLines: true, skipComments: true }] } })),
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', crypto: 'readonly', fetch: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', XMLHttpRequest: 'readonly', FormData: 'readonly' } },
  },
);
