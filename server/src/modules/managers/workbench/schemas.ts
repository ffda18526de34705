import { z } from 'zod';

const day = z.string().describe('YYYY-MM-DD');
const yuan = z.string().describe('Money in yuan, a decimal string');

/** 经理工作台: what an account manager works on today, in one answer. */
export const workbenchSchema = z.object({
  today: day,
  portfolio: z.object({
    customers: z.number().int(),
    /** The latest month of the trend, and what the portfolio billed in it. */
    month: z.string().nullable(),
    billed: yuan,
    inArrears: z.number().int().describe('Customers with arrears at the end of the latest month'),
    byLevel: z.array(z.object({ level: z.string().nullable(), customers: z.number().int() })),
    trend: z.array(z.object({ month: z.string(), billed: yuan })).describe('What the portfolio billed per month over the last 6 months, as the monthly scorecards counted it (the portfolio at each month’s end)'),
  }),
  reminders: z.object({
    open: z.number().int(),
    byType: z.array(z.object({ type: z.string(), count: z.number().int() })),
    items: z.array(
      z.object({ id: z.number().int(), type: z.string(), dueOn: day, customerId: z.number().int().nullable(), customerName: z.string().nullable(), params: z.record(z.string(), z.unknown()) }),
    ),
  }),
  tasks: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    items: z.array(z.object({ assignmentId: z.number().int(), taskId: z.number().int(), title: z.string(), dueOn: day, status: z.string(), progress: z.number().int() })),
  }),
  appointments: z.array(
    z.object({ id: z.number().int(), startsAt: z.string(), customerId: z.number().int(), customerName: z.string(), resourceName: z.string(), purpose: z.string() }),
  ),
  requests: z.object({
    open: z.number().int(),
    warning: z.number().int(),
    breached: z.number().int(),
    items: z.array(
      z.object({
        id: z.number().int(),
        requestNo: z.string(),
        title: z.string(),
        type: z.string(),
        status: z.string(),
        slaState: z.string(),
        resolveDueAt: z.string().nullable(),
        customerId: z.number().int(),
        customerName: z.string(),
      }),
    ),
  }),
  levelChanges: z.object({
    month: z.string().nullable(),
    items: z.array(z.object({ customerId: z.number().int(), customerName: z.string(), from: z.string().nullable(), to: z.string() })),
  }),
  plan: z
    .object({ id: z.number().int(), status: z.string(), startsOn: day, items: z.number().int(), done: z.number().int(), today: z.number().int() })
    .nullable()
    .describe('This week’s plan'),
  scorecard: z.object({ id: z.number().int(), month: z.string(), status: z.string(), totalScore: z.string(), unitRank: z.number().int().nullable() }).nullable(),
});
export type Workbench = z.infer<typeof workbenchSchema>;

export const teamQuery = z.strictObject({
  unitId: z.coerce.number().int().positive().optional().describe('A unit of your subtree; your own unit when absent'),
});
export type TeamQuery = z.infer<typeof teamQuery>;

/** 团队概览: one row per account manager of the unit's subtree. */
export const teamMemberSchema = z.object({
  managerId: z.number().int(),
  name: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  unitNameEn: z.string().nullable(),
  customers: z.number().int(),
  openRequests: z.number().int(),
  breachedRequests: z.number().int(),
  openReminders: z.number().int().describe('Reminders to act on within the coming week, as the workbench shows them'),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
  planStatus: z.string().nullable().describe('This week’s plan, if any'),
  logsThisMonth: z.number().int(),
  scorecardMonth: z.string().nullable(),
  totalScore: z.string().nullable(),
  unitRank: z.number().int().nullable(),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
