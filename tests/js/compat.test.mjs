// What works keeps working: share links, experiment files and model files recorded before the core was
// reorganised (tests/data/compat/, written by tests/compat/record_files.mjs) still load and replay to the
// digest they had, on 1 and 2 threads. Never regenerate those files to make a change pass.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createLab } from '../../web/node.mjs';
import { decodeState, loadFromHash } from '../../web/url-state.mjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'compat');
const links = JSON.parse(readFileSync(path.join(dir, 'links.json'), 'utf8'));
const DEFAULTS = { version: 1, seed: 1, data: { name: 'circle' }, model: { layers: [{ type: 'dense', units: 2 }] } };

let labs;
before(async () => { labs = [await createLab({ threads: 1 }), await createLab({ threads: 2 })]; });
after(() => { for (const l of labs) l.close(); });

test('old share links open and replay to the digest they had', async () => {
  assert.ok(links.length >= 3);
  for (const lab of labs) {
    for (const link of links) {
      lab.load(DEFAULTS);
      const { state, ignored, loaded } = await loadFromHash(lab, link.hash, lab.spec());
      assert.deepEqual(ignored, [], `${link.name}: nothing of the link is ignored`);
      assert.ok(loaded);
      assert.equal(decodeState(link.hash).state.step, link.step);
      await lab.replay({ spec: lab.spec(), events: state.events ?? [], step: state.step });
      assert.equal(lab.digest(), link.digest, `${link.name} replayed from its link`);
    }
  }
});

test('old experiment files replay to their digest; old model files (binary and JSON) load with theirs', async () => {
  for (const lab of labs) {
    for (const { name, digest } of links) {
      const file = JSON.parse(readFileSync(path.join(dir, `${name}.experiment.json`), 'utf8'));
      assert.equal(file.format, 'neuronlab-experiment');
      assert.equal(file.digest, digest);
      await lab.replay(file.history);
      assert.equal(lab.digest(), digest, `${name}: experiment file replayed`);
      const out = lab.predict(lab.samples('test', 0, 4).x, 4);
      lab.importModel(JSON.stringify(file.model));
      assert.equal(lab.digest(), digest, `${name}: the experiment file's model`);
      lab.importModel(new Uint8Array(readFileSync(path.join(dir, `${name}.nlmodel`))));
      assert.equal(lab.digest(), digest, `${name}: binary model file`);
      assert.deepEqual(lab.predict(lab.samples('test', 0, 4).x, 4), out,
        `${name}: the imported model predicts what the trained one did`);
    }
  }
});
