export { appArn, isAppId } from './app-ids.js';
export type { AppCallContext, AppCostOf, AppModelPort } from './app-model-port.js';
export type { AppRecord } from './app-repository.js';
export type { AppRun, AppRunEvent, WidgetOutput, WidgetStatus } from './app-runner.js';
export * from './app-schemas.js';
export { AppService } from './app-service.js';
export { type AppShare, AppShares, MAX_SHARES_PER_APP, type NewAppShare, type OpenedShare } from './app-shares.js';
export { type AppTables, appMigrations } from './app-tables.js';
export { planWidgets, referencesOf, renderTemplate, type WidgetPlan } from './widget-graph.js';
