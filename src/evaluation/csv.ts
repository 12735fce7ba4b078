import { csvRows } from '../http/csv.js';
import { suppress } from './suppression.js';
import type { Dashboard } from './evaluation.service.js';
import { reliableChangeCsv } from './reliable-change.js';

const fixed = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '' : n.toFixed(digits));

export const DATASETS = [
  'weekly-active',
  'monthly-active',
  'out-of-hours',
  'heatmap',
  'response-times',
  'survey',
  'keys',
  'outcomes',
  'reliable-change',
] as const;
export type Dataset = (typeof DATASETS)[number];

/** Every chart's numbers as CSV, with the same small-number suppression as the page. */
export function datasetCsv(d: Dashboard, name: Dataset): string {
  const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  switch (name) {
    case 'weekly-active':
      return csvRows(
        ['week_starting', 'active_members'],
        d.weekly.map((w) => [w.period, suppress(w.members)]),
      );
    case 'monthly-active':
      return csvRows(
        ['month', 'active_members'],
        d.monthly.map((w) => [w.period, suppress(w.members)]),
      );
    case 'out-of-hours':
      return csvRows(
        ['messages_out_of_hours', 'messages_total'],
        [[suppress(d.outOfHours.outOfHours), suppress(d.outOfHours.total)]],
      );
    case 'heatmap':
      return csvRows(
        ['weekday', ...Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`)],
        d.heatmap.map((row, i) => [days[i] ?? '', ...row.map(suppress)]),
      );
    case 'response-times':
      return csvRows(
        ['kind', 'responses', 'median_minutes', 'p90_minutes'],
        (['alerts', 'reports', 'careTeam'] as const).map((k) => {
          const r = d.responses[k];
          const hidden = r.n >= 1 && r.n <= 4;
          return [
            k === 'careTeam' ? 'care_team' : k,
            suppress(r.n),
            hidden ? '' : fixed(r.medianMinutes),
            hidden ? '' : fixed(r.p90Minutes),
          ];
        }),
      );
    case 'survey':
      return csvRows(['agree_or_strongly_agree', 'answers'], [[suppress(d.survey.agree), suppress(d.survey.total)]]);
    case 'keys':
      return csvRows(['keys_issued', 'keys_redeemed'], [[suppress(d.keys.issued), suppress(d.keys.redeemed)]]);
    case 'outcomes':
      return outcomesCsv(d);
    case 'reliable-change':
      return reliableChangeCsv(d.reliableChange);
    default: {
      const never: never = name;
      throw new Error(`unknown dataset ${String(never)}`);
    }
  }
}

/** Outcomes by engagement for health-economic analysis: counts and rates per member-month, suppressed as on the page. */
function outcomesCsv(d: Dashboard): string {
  return csvRows(
    [
      'group',
      'member_months',
      'bed_days',
      'bed_days_per_member_month',
      'ci95_low',
      'ci95_high',
      'readmissions',
      'readmissions_per_member_month',
      'relapses',
      'relapses_per_member_month',
    ],
    d.outcomes.map((g) => {
      const hide = g.memberMonths >= 1 && g.memberMonths <= 4;
      const rate = (k: 'bedDays' | 'readmissions' | 'relapses') =>
        hide || (g[k] >= 1 && g[k] <= 4) ? '' : fixed(g.rates[k]?.rate, 3);
      return [
        g.group,
        suppress(g.memberMonths),
        suppress(g.bedDays),
        rate('bedDays'),
        hide ? '' : fixed(g.rates.bedDays?.low, 3),
        hide ? '' : fixed(g.rates.bedDays?.high, 3),
        suppress(g.readmissions),
        rate('readmissions'),
        suppress(g.relapses),
        rate('relapses'),
      ];
    }),
  );
}
