/**
 * The Grafana Foundation SDK modules the dashboards use, behind one adapter.
 *
 * The SDK publishes its modules only through package `exports` subpaths (`@grafana/grafana-foundation-sdk/dashboard`),
 * which TypeScript's `moduleResolution: node` (this project's setting) cannot see. Types therefore come from the
 * `dist/` files and values from the exported subpath (what Node, esbuild and Jest resolve). Switching the project to
 * `moduleResolution: node16` would let callers import the subpaths directly; only this file would change.
 */
import type * as CogModule from '@grafana/grafana-foundation-sdk/dist/cog';
import type * as CommonModule from '@grafana/grafana-foundation-sdk/dist/common';
import type * as DashboardModule from '@grafana/grafana-foundation-sdk/dist/dashboard';
import type * as PrometheusModule from '@grafana/grafana-foundation-sdk/dist/prometheus';
import type * as StatModule from '@grafana/grafana-foundation-sdk/dist/stat';
import type * as TimeseriesModule from '@grafana/grafana-foundation-sdk/dist/timeseries';

/* eslint-disable @typescript-eslint/no-require-imports -- see above */
export const cog: typeof CogModule = require('@grafana/grafana-foundation-sdk/cog');
export const common: typeof CommonModule = require('@grafana/grafana-foundation-sdk/common');
export const dashboard: typeof DashboardModule = require('@grafana/grafana-foundation-sdk/dashboard');
export const prometheus: typeof PrometheusModule = require('@grafana/grafana-foundation-sdk/prometheus');
export const stat: typeof StatModule = require('@grafana/grafana-foundation-sdk/stat');
export const timeseries: typeof TimeseriesModule = require('@grafana/grafana-foundation-sdk/timeseries');
export type { CogModule, CommonModule, DashboardModule, PrometheusModule };
