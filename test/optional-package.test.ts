import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadOptional, MissingPackageError, requireOptional } from '../src/optional-package.js';

describe('optional packages', () => {
  it('a missing package is one line naming it and the install command', async () => {
    const name = 'infomem-no-such-package';
    await assert.rejects(
      loadOptional([name], 'running a model', () => import(name)),
      (e: unknown) => e instanceof MissingPackageError && e.message === `running a model needs the optional package ${name}, which is not installed: run npm install ${name} --ignore-scripts` && !e.message.includes('\n'),
    );
    assert.throws(() => requireOptional(['fflate', name, `${name}-2`], 'x'), (e: unknown) => e instanceof MissingPackageError && /packages infomem-no-such-package and infomem-no-such-package-2, which are not installed: run npm install infomem-no-such-package infomem-no-such-package-2 --ignore-scripts/.test(e.message));
  });

  it('an installed package loads; other errors pass through unchanged', async () => {
    requireOptional(['fflate'], 'x');
    const m = await loadOptional(['fflate'], 'x', () => import('fflate'));
    assert.equal(typeof m.inflateSync, 'function');
    const own = new Error('boom');
    await assert.rejects(loadOptional(['fflate'], 'x', () => Promise.reject(own)), (e) => e === own);
  });
});
