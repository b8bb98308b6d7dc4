import type { LeadStatus } from '../leads/lead.entity';
import type { UserRole } from '../users/user.entity';

/** A small deterministic generator (mulberry32): the same seed gives the same demo. */
export class Random {
  constructor(private state: number) {}
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
}

export const pick = <T>(rnd: Random, list: readonly T[]): T => list[rnd.int(list.length)];

const domain = (name: string) => ['example', name].join('.'); // example.com etc.: reserved for examples

export const DEMO = {
  users: [
    { name: 'Aiko Tanaka', email: `aiko@${domain('com')}`, role: 'admin' as UserRole },
    { name: 'Ben Carter', email: `ben@${domain('com')}`, role: 'manager' as UserRole },
    { name: 'Chloé Martin', email: `chloe@${domain('com')}`, role: 'agent' as UserRole },
    { name: 'Diego Ruiz', email: `diego@${domain('com')}`, role: 'agent' as UserRole },
  ],
  tags: [
    { name: 'vip', color: '#d4380d' },
    { name: 'newsletter', color: '#1677ff' },
    { name: 'trade-show', color: '#7cb305' },
    { name: 'partner', color: '#722ed1' },
    { name: 'follow-up', color: '#fa8c16' },
  ],
  pipelines: [
    {
      name: 'Sales',
      description: 'New business',
      isDefault: true,
      stages: [
        ['New', 10],
        ['Qualified', 30],
        ['Proposal', 60],
        ['Negotiation', 80],
        ['Won', 100],
      ] as [string, number][],
    },
    {
      name: 'Partnerships',
      description: 'Resellers and integrations',
      isDefault: false,
      stages: [
        ['Intro call', 20],
        ['Pilot', 50],
        ['Signed', 100],
      ] as [string, number][],
    },
  ],
};

const FIRST = [
  'Emma',
  'Liam',
  'Sofia',
  'Noah',
  'Mia',
  'Lucas',
  'Hana',
  'Kenji',
  'Olivia',
  'Mateo',
  'Yuki',
  'Amara',
  'Leo',
  'Zoe',
  'Ravi',
  'Ines',
];
const LAST = [
  'Smith',
  'Suzuki',
  'Garcia',
  'Müller',
  'Rossi',
  'Dubois',
  'Kim',
  'Silva',
  'Nowak',
  'Jensen',
  'Okafor',
  'Patel',
];
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
];
const SOURCES = [
  'website',
  'referral',
  'linkedin',
  'google_ads',
  'facebook',
  'trade_show',
  'cold_call',
  'api',
];
const STATUSES: LeadStatus[] = [
  'new',
  'new',
  'new',
  'contacted',
  'contacted',
  'qualified',
  'unqualified',
  'converted',
  'lost',
];

export function demoLead(
  rnd: Random,
  i: number,
  o: { pipeline: { id: number; stages: { id: number }[] }; users: number[] },
) {
  const first = pick(rnd, FIRST);
  const last = pick(rnd, LAST);
  const company = pick(rnd, COMPANIES);
  const tags = DEMO.tags.filter(() => rnd.next() < 0.2).map((t) => t.name);
  const staged = rnd.next() < 0.7;
  return {
    first_name: first,
    last_name: last,
    email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}${i}@${domain('org')}`,
    phone: rnd.next() < 0.6 ? `+1 555 ${String(1000 + rnd.int(9000))}` : undefined,
    company,
    source: pick(rnd, SOURCES),
    status: pick(rnd, STATUSES),
    pipeline_id: staged ? o.pipeline.id : undefined,
    pipeline_stage_id: staged ? pick(rnd, o.pipeline.stages).id : undefined,
    assigned_user_id: o.users.length && rnd.next() < 0.6 ? pick(rnd, o.users) : undefined,
    lead_score: rnd.int(101),
    starred: rnd.next() < 0.1,
    tags,
    custom_fields: { employees: 5 + rnd.int(2000), budget: pick(rnd, ['< 10k', '10k-50k', '> 50k']) },
  };
}
