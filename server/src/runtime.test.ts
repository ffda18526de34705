import { describe, expect, it } from 'vitest';

/**
 * The supported runtimes are Node.js 22 and 24 LTS (package.json `engines`); CI also runs this suite on Node 24
 * and says which major it expects in EXPECT_NODE_MAJOR, so that a run on the wrong binary fails instead of passing quietly.
 */
describe('runtime', () => {
  it('runs the tests on the Node.js major CI asked for', () => {
    const major = Number(process.versions.node.split('.')[0]);
    const expected = process.env.EXPECT_NODE_MAJOR;
    if (expected) expect(major).toBe(Number(expected));
    expect(major).toBeGreaterThanOrEqual(20);
  });
});
