// The worker's entry: registers tsx in this thread (workers do not inherit the parent's loader), then loads the
// TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./figures-worker.ts')
