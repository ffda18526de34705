import { z } from 'zod';
import { pageQuery } from '../../platform/http/list.js';
import { readableName } from '../../platform/http/text.js';
import { LOCALES } from '../../platform/i18n/messages.js';

const username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'starts with a letter; letters, digits, _ . - only');
const displayName = readableName(50);
const email = z.email().max(200).nullish();
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, 'digits, +, - and spaces')
  .nullish();
const roleIds = z.array(z.number().int().positive()).max(20);
const locale = z.enum(LOCALES as unknown as ['zh-CN', 'en-US']);
const password = z.string().min(1).max(200);

export const userSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().describe('Masked as 138****5678 unless read in the user detail'),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    unitPath: z.string(),
    roleIds: z.array(z.number().int()),
    roleCodes: z.array(z.string()),
    active: z.boolean(),
    locked: z.boolean(),
    lockedUntil: z.date().nullable(),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.date().nullable(),
    locale,
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const listUsersQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('Fragment of the user name or display name'),
  unitId: z.coerce.number().int().positive().optional().describe('Users of this unit and its sub-units'),
  roleId: z.coerce.number().int().positive().optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const createUserBody = z.strictObject({
  username,
  displayName,
  email,
  phone,
  unitId: z.number().int().positive(),
  roleIds,
  password: password.describe('Initial password; the user must change it at first sign-in'),
  locale: locale.optional(),
});
export type CreateUser = z.infer<typeof createUserBody>;

export const patchUserBody = z.strictObject({
  version: z.number().int().positive(),
  displayName: displayName.optional(),
  email,
  phone,
  unitId: z.number().int().positive().optional(),
  roleIds: roleIds.optional(),
  active: z.boolean().optional(),
  locale: locale.optional(),
});
export type PatchUser = z.infer<typeof patchUserBody>;

export const resetPasswordBody = z.strictObject({ newPassword: password });

export const endedSessionsSchema = z.object({ endedSessions: z.number().int().describe('How many sessions were ended') }).meta({ id: 'EndedSessions' });

export const patchMeBody = z.strictObject({
  version: z.number().int().positive(),
  displayName: displayName.optional(),
  email,
  phone,
  locale: locale.optional(),
});
export type PatchMe = z.infer<typeof patchMeBody>;

export const changePasswordBody = z.strictObject({ currentPassword: password, newPassword: password });
