import { z } from 'zod';
import { optionalReadableName, readableName } from '../../platform/http/text.js';

const permissionList = z.array(z.string().min(1).max(64)).max(200);

export const roleSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    description: z.string().nullable(),
    builtin: z.boolean(),
    unitId: z.number().int().nullable().describe('The unit that owns a custom role (visible in its subtree); null for built-in roles'),
    unitName: z.string().nullable(),
    unitPath: z.string().nullable(),
    permissions: z.array(z.string()),
    userCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof roleSchema>;

export const permissionSchema = z
  .object({ code: z.string(), name: z.string(), nameEn: z.string() })
  .meta({ id: 'Permission' });

export const createRoleBody = z.strictObject({
  code: z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  name: readableName(50),
  nameEn: optionalReadableName(80),
  description: z.string().trim().max(500).nullish(),
  permissions: permissionList,
  unitId: z.number().int().positive().optional().describe('The owning unit, in your scope; your own unit when left out'),
});
export type CreateRole = z.infer<typeof createRoleBody>;

export const patchRoleBody = z.strictObject({
  version: z.number().int().positive(),
  name: readableName(50).optional(),
  nameEn: optionalReadableName(80),
  description: z.string().trim().max(500).nullish(),
  permissions: permissionList.optional(),
});
export type PatchRole = z.infer<typeof patchRoleBody>;
