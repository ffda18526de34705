/** TMF632 Party Management at the edge: the lists' attribute filters. */
import { z } from 'zod';
import { listQuery } from '../common/conventions.js';

const name = z.string().trim().min(1).max(100).optional().describe('Any two characters of the name (one: its start), as the console’s search box');

export const organizationListQuery = listQuery({ name, tradingName: name });
export const individualListQuery = listQuery({ name, fullName: name });
export type PartyListQuery = { offset: number; limit: number; fields?: string; name?: string; tradingName?: string; fullName?: string };
