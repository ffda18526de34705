/** 预约服务: bookable resources, their slots and the customers' bookings, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';

export const RESOURCE_KINDS = ['manager', 'outlet', 'vip_lounge'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const APPOINTMENT_STATUSES = ['booked', 'attended', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const OUTCOMES = ['attended', 'no_show'] as const;

/** The longest date range a slot series covers, and a calendar lists, in days. */
export const MAX_SERIES_DAYS = 92;
export const MAX_RANGE_DAYS = 42;

const version = z.number().int().positive();
const name = z.string().trim().min(1).max(100);
const date = z.iso.date().describe('A calendar day in Asia/Shanghai, YYYY-MM-DD');
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().max(max);

export const resourceSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(RESOURCE_KINDS),
    name: z.string(),
    nameEn: z.string().nullable(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    userId: z.number().int().nullable().describe('The account manager of a manager’s resource'),
    userName: z.string().nullable().describe('Display name of that manager'),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AppointmentResource' });
export type Resource = z.infer<typeof resourceSchema>;

export const resourceBody = z.strictObject({
  kind: z.enum(RESOURCE_KINDS),
  name,
  nameEn: name.nullish(),
  unitId: id,
  userId: id.nullish().describe('Required for a manager’s resource, absent otherwise'),
});
export type ResourceInput = z.infer<typeof resourceBody>;

export const resourcePatch = z.strictObject({
  version,
  name: name.optional(),
  nameEn: name.nullish(),
  userId: id.nullish(),
  active: z.boolean().optional(),
});
export type ResourcePatch = z.infer<typeof resourcePatch>;

export const resourceQuery = pageQuery.extend({
  kind: z.enum(RESOURCE_KINDS).optional(),
  unitId: z.coerce.number().int().positive().optional().describe('Resources of this unit and its sub-units'),
  active: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(50).optional().describe('A part of the name'),
});
export type ResourceQuery = z.infer<typeof resourceQuery>;

export const slotSchema = z
  .object({
    id: z.number().int(),
    resourceId: z.number().int(),
    startsAt: z.date(),
    endsAt: z.date(),
    capacity: z.number().int(),
    booked: z.number().int().describe('Places held by bookings (cancelled ones release theirs)'),
    version: z.number().int(),
  })
  .meta({ id: 'AppointmentSlot' });
export type Slot = z.infer<typeof slotSchema>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const seriesBody = z
  .strictObject({
    from: date,
    to: date,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays: 1 Monday … 7 Sunday'),
    times: z.array(clock).min(1).max(48).describe('Start times, Asia/Shanghai'),
    durationMinutes: z.number().int().min(5).max(480),
    capacity: z.number().int().min(1).max(500),
  })
  .meta({ id: 'AppointmentSlotSeries' });
export type SeriesInput = z.infer<typeof seriesBody>;

export const seriesResultSchema = z
  .object({
    requested: z.number().int().describe('Slots the series describes'),
    created: z.number().int(),
    skipped: z.number().int().describe('Slots that existed already or have started'),
  })
  .meta({ id: 'AppointmentSlotSeriesResult' });

export const rangeQuery = z.object({
  from: date.optional().describe('The first day, Asia/Shanghai (default today)'),
  to: date.optional().describe('The last day, included (default six days after `from`: a week)'),
});
export type RangeQuery = z.infer<typeof rangeQuery>;

export const slotPatch = z.strictObject({ version, capacity: z.number().int().min(1).max(500) });

export const appointmentSchema = z
  .object({
    id: z.number().int(),
    slotId: z.number().int(),
    resourceId: z.number().int(),
    resourceKind: z.enum(RESOURCE_KINDS),
    resourceName: z.string(),
    resourceNameEn: z.string().nullable(),
    startsAt: z.date(),
    endsAt: z.date(),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    status: z.enum(APPOINTMENT_STATUSES),
    purpose: z.string(),
    note: z.string().nullable(),
    bookedBy: z.string().nullable().describe('User name of who booked it'),
    bookedByName: z.string().nullable(),
    remindedAt: z.date().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof appointmentSchema>;

export const bookingBody = z.strictObject({
  slotId: id,
  customerId: id,
  purpose: z.string().trim().min(2).max(200),
  note: text(500).nullish(),
});
export type BookingInput = z.infer<typeof bookingBody>;

export const moveBody = z.strictObject({ version, slotId: id });
export const cancelBody = z.strictObject({ version, reason: text(200).nullish() });
export const outcomeBody = z.strictObject({ version, outcome: z.enum(OUTCOMES) });

export const customerAppointmentsQuery = pageQuery.extend({ status: z.enum(APPOINTMENT_STATUSES).optional() });
export const resourceAppointmentsQuery = rangeQuery.extend({ status: z.enum(APPOINTMENT_STATUSES).optional() });
export type ResourceAppointmentsQuery = z.infer<typeof resourceAppointmentsQuery>;
