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
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' },
      ],
    },
  },
  // Issue 14 item 7, the habits that keep the house: files and functions stay small (STYLE.md §9),
  // and a feature reaches another feature through its service, never its repository (STYLE.md §1).
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*.repo.js', '../*/*.repo'],
              message: "Call the other feature's service, not its repository (STYLE.md §1).",
            },
          ],
        },
      ],
    },
  },
  // Deliberate exceptions (issue 14 item 2): the living room's two hot paths build ONE prepared query
  // from other features' query builders; going through their services would add round trips.
  {
    files: [
      'src/chat/history.repo.ts', // the living-room page: the room, who is on duty and its history in one query
      'src/chat/send.repo.ts', // sending: session, sender, room, duty, mute and watched words read in one query
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        crypto: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        XMLHttpRequest: 'readonly',
        FormData: 'readonly',
      },
    },
  },
);
