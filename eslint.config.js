import antfu from '@antfu/eslint-config'

export default antfu(
  {
    type: 'app',
    typescript: true,
    // Data files (the catalog, the areas) keep the layout their editors chose.
    ignores: ['src/generated/**', 'prisma/**/migrations/**', 'prisma/*.json', 'data/**'],
  },
  {
    rules: {
      // Node's globals are the platform here; importing them adds nothing.
      'node/prefer-global/process': 'off',
      'node/prefer-global/buffer': 'off',
      // Helpers placed after the code that reads them keep the story of a file top-down, and closures may name what
      // is built after them (the composition root wires a worker and the callbacks that wake it).
      'ts/no-use-before-define': 'off',
      // Short guard clauses on one line read better than the same spread over three.
      'style/max-statements-per-line': ['error', { max: 2 }],
      // The entry point and scripts are ES modules: top-level await is what they are for.
      'antfu/no-top-level-await': 'off',
      // Loops over flags a closure or another task flips (a worker's `running`).
      'no-unmodified-loop-condition': 'off',
      // Patterns for Chinese text: the rules' rewrites make them harder to read, and inputs are bounded in length.
      'regexp/no-super-linear-backtracking': 'warn',
      'regexp/no-unused-capturing-group': 'off',
      'regexp/prefer-character-class': 'off',
      'regexp/no-dupe-disjunctions': 'warn',
      'regexp/prefer-w': 'off',
      'regexp/no-useless-non-capturing-group': 'off',
      'regexp/no-obscure-range': 'off',
      'regexp/use-ignore-case': 'off',
      // Suites set up their servers once (beforeAll/afterAll) and their state per test, in the order they read best.
      'test/prefer-hooks-in-order': 'off',
    },
  },
)
