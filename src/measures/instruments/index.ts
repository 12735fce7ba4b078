/** The instruments every service has from its first minute. Others come from a trust's definition files. */
import type { InstrumentDefinition } from '../instrument.js';
import { GAD_7 } from './gad-7.js';
import { PHQ_9 } from './phq-9.js';

export { GAD_7, PHQ_9 };
export const BUILT_IN_INSTRUMENTS: readonly InstrumentDefinition[] = [PHQ_9, GAD_7];
export const isBuiltIn = (key: string): boolean => BUILT_IN_INSTRUMENTS.some((d) => d.key === key);
