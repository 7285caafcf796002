import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A skipped database or dataset says why, so a green run cannot hide what it did not test.
    reporters: ['default'],
  },
})
