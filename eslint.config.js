import antfu from '@antfu/eslint-config'

export default antfu({
  type: 'app',
  typescript: true,
  ignores: ['src/generated/**', 'prisma/**/migrations/**', 'data/**'],
})
