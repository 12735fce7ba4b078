import { z } from 'zod';

/** A measure's key in a URL (an instrument key); anything else is answered like an unknown key (404). */
export const MeasureKey = z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/);

/** The subnet a member answers for: in the query on GET, in the form on POST. */
export const SubnetField = z.object({ subnet: z.uuid() }).loose();

/** A response id in a URL. */
export const ResponseId = z.string().regex(/^[1-9]\d{0,17}$/);

/**
 * The clinician's schedule form: for each instrument `use-<key>` (yes), `first-<key>` (days after
 * joining) and `every-<key>` (days, empty for once). Strings only, bounded; the numbers are read
 * per instrument by `readSchedule` so each message can name its measure.
 */
export const ScheduleBody = z.record(
  z.string().regex(/^(_csrf|(use|first|every)-[a-z0-9][a-z0-9-]{1,30})$/),
  z.string().max(200),
);

/** The admin's instrument form (pasted text; an uploaded file arrives through definition-upload.ts). */
export const DefinitionBody = z.object({ definition: z.string().max(65_536).default('') }).loose();

/** The admin's "enabled in this subnet" form: the keys of the added instruments to enable. */
export const EnabledBody = z
  .object({ enabled: z.union([MeasureKey, z.array(MeasureKey).max(100)]).optional() })
  .loose()
  .transform((b) => (b.enabled === undefined ? [] : [b.enabled].flat()));
