export * from './types'
export * from './constants'
export * as schemas from './schemas'
export { check, type CheckResult } from './schemas'
