import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { pageQuery, sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { problemSchema } from '../../../platform/http/problem.js';
import {
  appointmentSchema,
  bookingBody,
  cancelBody,
  customerAppointmentsQuery,
  moveBody,
  outcomeBody,
  rangeQuery,
  resourceAppointmentsQuery,
  resourceBody,
  resourcePatch,
  resourceQuery,
  resourceSchema,
  seriesBody,
  seriesResultSchema,
  slotPatch,
  slotSchema,
} from './schemas.js';
import * as service from './service.js';

const tags = ['预约服务 Appointments'];
/** A booking of a slot that has started answers 422. */
const bookingProblems = { ...problemResponses, 422: problemSchema };
const noContent = { 204: z.null(), ...problemResponses };
/** A calendar's range lists every slot or booking of it at once (42 days at most). */
const wholeRange = { offset: pageQuery.shape.offset, limit: z.coerce.number().int().min(1).max(5000).default(2000) };

export const appointmentRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  // ---- resources
  app.get('/api/appointment-resources', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'Bookable resources (预约资源) of the area where you read key accounts', querystring: resourceQuery, response: { 200: z.array(resourceSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listResources(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/appointment-resources', {
    config: { access: 'appointments.manage' },
    schema: { tags, summary: 'Create a resource of a unit of yours: a manager’s time, an outlet’s counter or a VIP lounge', body: resourceBody, response: { 201: resourceSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createResource(deps, actorOf(req), req.body)),
  });
  app.get('/api/appointment-resources/:id', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'A resource', params: idParam, response: { 200: resourceSchema, ...problemResponses } },
    handler: (req) => service.getResource(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/appointment-resources/:id', {
    config: { access: 'appointments.manage' },
    schema: { tags, summary: 'Rename, (de)activate or change the manager of a resource, at the version read', params: idParam, body: resourcePatch, response: { 200: resourceSchema, ...problemResponses } },
    handler: (req) => service.patchResource(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/appointment-resources/:id', {
    config: { access: 'appointments.manage' },
    schema: { tags, summary: 'Delete a resource no booking ever used, with its slots (409 otherwise: deactivate it)', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.deleteResource(deps, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });

  // ---- slots
  app.post('/api/appointment-resources/:id/slots', {
    config: { access: 'appointments.manage' },
    schema: {
      tags,
      summary: 'Create a series of slots (排班): the chosen weekdays and start times of the days from–to; existing and started ones are skipped',
      params: idParam,
      body: seriesBody,
      response: { 201: seriesResultSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createSeries(deps, actorOf(req), req.params.id, req.body)),
  });
  app.get('/api/appointment-resources/:id/slots', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'A resource’s slots starting within the days from–to (Asia/Shanghai), with the places booked', params: idParam, querystring: rangeQuery, response: { 200: z.array(slotSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listSlots(deps, actorOf(req), req.params.id, req.query)),
  });
  app.patch('/api/appointment-slots/:id', {
    config: { access: 'appointments.manage' },
    schema: { tags, summary: 'Change a slot’s capacity, never below the places booked, at the version read', params: idParam, body: slotPatch, response: { 200: slotSchema, ...problemResponses } },
    handler: (req) => service.setCapacity(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/appointment-slots/:id', {
    config: { access: 'appointments.manage' },
    schema: { tags, summary: 'Delete a slot no booking ever held', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.deleteSlot(deps, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });

  // ---- bookings
  app.post('/api/appointments', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'Book a place of a slot for a customer you serve (409 slot_full naming the next free slot; 422 once the slot has started)', body: bookingBody, response: { 201: appointmentSchema, ...bookingProblems } },
    handler: async (req, reply) => reply.code(201).send(await service.book(deps, actorOf(req), req.body)),
  });
  app.get('/api/appointments/:id', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'A booking', params: idParam, response: { 200: appointmentSchema, ...problemResponses } },
    handler: (req) => service.getAppointment(deps, actorOf(req), req.params.id),
  });
  app.post('/api/appointments/:id/move', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'Move a booking to another slot (改约) at the version read: the old place is released, the new one taken, or nothing changes', params: idParam, body: moveBody, response: { 200: appointmentSchema, ...bookingProblems } },
    handler: (req) => service.move(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/appointments/:id/cancel', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'Cancel a booking at the version read; its place is released', params: idParam, body: cancelBody, response: { 200: appointmentSchema, ...problemResponses } },
    handler: (req) => service.cancel(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/appointments/:id/outcome', {
    config: { access: 'appointments.book' },
    schema: { tags, summary: 'Record that the customer came (到场) or did not (爽约), once the slot has started, at the version read', params: idParam, body: outcomeBody, response: { 200: appointmentSchema, ...problemResponses } },
    handler: (req) => service.recordOutcome(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/appointment-resources/:id/appointments', {
    config: { access: 'appointments.book' },
    schema: {
      tags,
      summary: 'A resource’s bookings within the days from–to (a day or a week of the calendar), of the customers you see, in slot order',
      params: idParam,
      querystring: resourceAppointmentsQuery.extend(wholeRange),
      response: { 200: z.array(appointmentSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.resourceAppointments(deps, actorOf(req), req.params.id, req.query)),
  });
  app.get('/api/customers/:id/appointments', {
    config: { access: 'customers.read' },
    schema: { tags, summary: "A customer's appointments, latest slot first (the 360° view)", params: idParam, querystring: customerAppointmentsQuery, response: { 200: z.array(appointmentSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.customerAppointments(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
};
