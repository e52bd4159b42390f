import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noFocusedTests = {
  selector: 'CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(only|skip)$/]',
  message: 'Focused or skipped tests do not land.',
};

// Libraries are used through their package name (@ledger/<lib>, tsconfig paths), never by a path into
// their sources, and nothing shipped imports the build tooling under scripts/.
const noReachingIn = {
  regex: '^(\\.\\./)+(scripts|libs)/|^@ledger/[a-z-]+/src(/|$)',
  message: 'Import a library through @ledger/<lib>; scripts/ is build tooling, not a library.',
};

// Each table has one owning module (README, "Who owns each table"): apps call its operations and neither
// write the event store's or the projection runtime's tables nor run DDL of their own.
const OWNED_TABLE_WRITE =
  '/(insert\\s+into|update|delete\\s+from|truncate(\\s+table)?)\\s+(events|snapshots|idempotency_keys|checkpoints|projection_[a-z_]+)\\b|(create|alter|drop)\\s+(table|index|function|trigger)\\s/i';
const ownedTablesMessage =
  "Write a table through its owner's operation (README, 'Who owns each table'); schemas change by migrations.";

// The read models' tables (and their versions, ADR 0020) are read through @ledger/read-models' queries too,
// so a rebuild or a schema change stays in the library that owns them.
const READ_MODEL_TABLE_USE =
  '/\\b(from|join|into|update|truncate(\\s+table)?)\\s+(account_summaries|account_statement_entries|account_history|transfers|transfer_history|read_model_[a-z_]+)\\b/i';
const readModelTablesMessage =
  "Read or write a read-model table through @ledger/read-models (its queries and operations), not SQL in an app (README, 'Who owns each table').";

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noFocusedTests],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/domain/**', '**/*.spec.ts', '**/test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noReachingIn] }] },
  },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noFocusedTests,
        { selector: `Literal[value=${OWNED_TABLE_WRITE}]`, message: ownedTablesMessage },
        { selector: `TemplateElement[value.raw=${OWNED_TABLE_WRITE}]`, message: ownedTablesMessage },
        { selector: `Literal[value=${READ_MODEL_TABLE_USE}]`, message: readModelTablesMessage },
        { selector: `TemplateElement[value.raw=${READ_MODEL_TABLE_USE}]`, message: readModelTablesMessage },
      ],
    },
  },
  {
    // The domain is pure: no framework, no I/O.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'kafkajs', 'pg', 'typeorm', 'node:*', 'fs', 'crypto'],
              message: 'The domain is pure.',
            },
            noReachingIn,
          ],
        },
      ],
    },
  },
);
