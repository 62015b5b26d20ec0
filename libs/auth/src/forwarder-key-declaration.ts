import { z } from 'zod';
import { logFormats } from '@soc/ingest';
import { forwarderSchema } from '@soc/members';

/**
 * What a forwarder key's forwarder declares it sends (docs/FORWARDERS.md): the format of its
 * records, the dataset of lines from programs the parsers do not know, and the zone of its
 * offset-less timestamps. `dataset` and `time_zone` are the members file's own validators for a
 * syslog sender, so a key and a sender accept and refuse exactly the same values.
 */
export const forwarderKeyDeclarationSchema = z.strictObject({
  format: z.enum(logFormats, { error: `must be one of ${logFormats.join(', ')}` }).optional(),
  dataset: forwarderSchema.shape.dataset,
  time_zone: forwarderSchema.shape.time_zone,
});
export type ForwarderKeyDeclaration = z.infer<typeof forwarderKeyDeclarationSchema>;

/** The dataset validator alone (`X-Log-Dataset`, `keys create --dataset`). */
export const declaredDatasetSchema = forwarderSchema.shape.dataset.unwrap();

/** The zone validator alone (`keys create --time-zone`). */
export const declaredTimeZoneSchema = forwarderSchema.shape.time_zone.unwrap();
