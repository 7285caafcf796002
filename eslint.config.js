import antfu from '@antfu/eslint-config'

export default antfu(
  {
    type: 'app',
    typescript: true,
    ignores: ['src/generated/**', 'prisma/**/migrations/**', 'data/**'],
  },
  {
    rules: {
      // Node's globals are the platform here; importing them adds nothing.
      'node/prefer-global/process': 'off',
      'node/prefer-global/buffer': 'off',
      // Helpers placed after the code that reads them keep the story of a file top-down.
      'ts/no-use-before-define': ['error', { functions: false, classes: false, variables: true }],
      // Patterns for Chinese text: the rules' rewrites make them harder to read, and inputs are bounded in length.
      'regexp/no-super-linear-backtracking': 'warn',
      'regexp/no-unused-capturing-group': 'off',
      'regexp/prefer-character-class': 'off',
      'regexp/no-dupe-disjunctions': 'warn',
      'regexp/prefer-w': 'off',
      'regexp/no-useless-non-capturing-group': 'off',
      'regexp/no-obscure-range': 'off',
    },
  },
)
