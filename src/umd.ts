// Everything a page without a bundler needs, as one UMD file (`dist/obrolan.umd.cjs`, global `ObrolanSDK`).
export * from './index'
export { mountWidget } from './widget'
export type { WidgetHandle, WidgetOptions, WidgetStrings } from './widget'
