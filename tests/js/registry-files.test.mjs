// The files derived from the core's registries are current: the URL codec's registry fields and the
// registry unions of lab.d.ts. A new layer, optimizer, dataset or method changes them: run
// `node scripts/registry-files.mjs` (after `npm run build`) and commit the result.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { DTS_FILE, FIELDS_FILE, registryFields, renderDtsBlock, renderFieldsModule, withDtsBlock } from '../../scripts/registry-files.mjs';
import { createLab } from '../../web/node.mjs';

let lab;
before(async () => { lab = await createLab({ threads: 1 }); });
after(() => lab.close());

const stale = 'is out of date with the registries: run `node scripts/registry-files.mjs` and commit it';

test('web/url/registry-fields.mjs is what the registries give', () => {
  assert.equal(readFileSync(FIELDS_FILE, 'utf8'), renderFieldsModule(lab.registries()), `${FIELDS_FILE} ${stale}`);
});

test('the registry block of web/lab.d.ts is what the registries give', () => {
  const text = readFileSync(DTS_FILE, 'utf8');
  assert.equal(text, withDtsBlock(text, renderDtsBlock(lab.registries(), lab.methods())), `${DTS_FILE} ${stale}`);
});

test('every optimizer and schedule field has a URL key, and no key means two things', () => {
  const reg = lab.registries();
  for (const group of ['optimizers', 'schedules'])
    for (const e of reg[group]) for (const p of e.params) assert.ok(p.url, `${group} ${e.name}: ${p.name} has no URL key`);
  assert.doesNotThrow(() => registryFields(reg));
});
