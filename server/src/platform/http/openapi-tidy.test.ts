import { describe, expect, it } from 'vitest';
import { operationIdFor, tidyOpenApi } from './openapi-tidy.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('the OpenAPI document as linters and client generators read it', () => {
  it('names every operation from its method and path, the /api prefix left out', () => {
    expect(operationIdFor('GET', '/api/customers/{id}/history')).toBe('getCustomersByIdHistory');
    expect(operationIdFor('post', '/api/customers/exports')).toBe('postCustomersExports');
    expect(operationIdFor('get', '/tmf-api/customerManagement/v4/customer/{id}')).toBe('getTmfApiCustomerManagementV4CustomerById');
    expect(operationIdFor('patch', '/api/system/backup-schedules/{schedule_id}')).toBe('patchSystemBackupSchedulesByScheduleId');
  });

  it('keeps an operationId a route declares and makes the derived ones unique', () => {
    const doc = tidyOpenApi({
      paths: {
        '/api/a-b': { get: { responses: {} } },
        '/api/aB': { get: { responses: {} }, post: { operationId: 'createAb', responses: {} } },
      },
    });
    expect(doc.paths['/api/a-b'].get).toHaveProperty('operationId', 'getAB');
    expect(doc.paths['/api/aB'].get).toHaveProperty('operationId', 'getAB2');
    expect(doc.paths['/api/aB'].post.operationId).toBe('createAb');
  });

  it('puts a type beside every nullable, and drops the components nothing uses', () => {
    const doc = tidyOpenApi({
      paths: { '/api/x': { get: { responses: { 200: { content: { 'application/json': { schema: ref('Thing') } } } } } } },
      components: {
        schemas: {
          Thing: {
            type: 'object',
            properties: {
              survey: { nullable: true, allOf: [ref('Survey')] },
              figure: { nullable: true, anyOf: [{ type: 'string' }, { type: 'number' }] },
              anything: { nullable: true },
              byStatus: { type: 'object', additionalProperties: { type: 'integer' }, required: ['new', 'closed'] },
            },
          },
          Survey: { type: 'object', properties: {} },
          ThingInput: { type: 'object' },
        },
      },
    });
    const props = doc.components.schemas.Thing.properties;
    expect(props.survey).toEqual({ type: 'object', nullable: true, allOf: [ref('Survey')] });
    expect(props.figure).toEqual({ anyOf: [{ type: 'string', nullable: true }, { type: 'number', nullable: true }] });
    expect(props.anything).toEqual({});
    expect(props.byStatus).toHaveProperty('properties.closed', { type: 'integer' });
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Survey', 'Thing']);
  });

  it('gives a schema used only as a request body its registered name', () => {
    const doc = tidyOpenApi({
      paths: { '/api/moves': { post: { requestBody: { content: { 'application/json': { schema: ref('MoveInput') } } }, responses: {} } } },
      components: { schemas: { Move: { type: 'object', required: ['dryRun'] }, MoveInput: { type: 'object' } } },
    });
    expect(doc.paths['/api/moves'].post.requestBody.content['application/json'].schema).toEqual(ref('Move'));
    expect(doc.components.schemas).toEqual({ Move: { type: 'object' } });
  });

  it('declares a download’s file as its 200 and its refusals as JSON problems', () => {
    const problem = { schema: ref('Problem') };
    const doc = tidyOpenApi({
      paths: {
        '/api/things/export': { get: { responses: { 400: { description: 'x', content: { 'text/csv': problem, 'text/markdown': problem } } } } },
        '/api/things': { get: { responses: { 400: { description: 'x', content: { 'application/json': problem } } } } },
      },
      components: { schemas: { Problem: { type: 'object' } } },
    });
    const download = doc.paths['/api/things/export'].get.responses as Record<string, { content: Record<string, unknown> }>;
    expect(download['400']!.content).toEqual({ 'application/json': problem });
    expect(Object.keys(download['200']!.content)).toEqual(['text/csv', 'text/markdown']);
    expect(download['200']!.content['text/csv']).toEqual({ schema: { type: 'string', format: 'binary' } });
    // a JSON route that declares no 200 is not taken for a download
    expect(doc.paths['/api/things'].get.responses).not.toHaveProperty('200');
  });
});
