import { z } from 'zod';
import { port } from './common';

/** Metrics, alerts and dashboards. */
export const monitoringSchema = z
  .strictObject({
    /** Run the JMX exporter agent and emit scrape targets, alerts and dashboards. @default true */
    enabled: z.boolean().default(true),
    /** Port the JMX exporter serves metrics on. @default 9404 */
    jmxExporterPort: port.default(9404),
  })
  .default({ enabled: true, jmxExporterPort: 9404 });
