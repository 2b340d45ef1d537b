// Writes the committed share links, experiment files and model files of tests/data/compat/ that
// tests/js/compat.test.mjs keeps loading and replaying to the same digest. Recorded once, BEFORE the core
// was reorganised (issue "Room to grow"); never re-run to make a change pass — only to add new files,
// on the commit that adds them:   node tests/compat/record_files.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLab } from '../../web/node.mjs';
import { encodeState } from '../../web/url-state.mjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'compat');
const lab = await createLab({ threads: 2 });

const runs = {
  spiral_events: async () => {
    lab.load({ seed: 5, data: { name: 'spiral', n: 200, features: ['x1', 'x2', 'sinx1', 'sinx2'] },
      model: { layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 2 }] },
      optimizer: { name: 'adam', lr: 0.03 }, batch_size: 10 });
    await lab.train(40);
    lab.setHyperparameters({ optimizer: { lr: 0.01 }, regularization: { l2: 0.001 } });
    await lab.train(13);
    lab.setWeight(0, 'weight', 3, 0.5);
    lab.setWeight(0, 'bias', 1, -0.25);
    await lab.train(7);
    lab.reset();
    await lab.train(9);
    lab.setHyperparameters({ optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, batch_size: 7 });
    await lab.train(31);
  },
  digits_cnn: async () => {
    await lab.loadDataset('digits');
    lab.load({ seed: 3, data: { name: 'digits', n: 500 },
      model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
        { type: 'flatten' }, { type: 'dropout', rate: 0.1 }, { type: 'dense', units: 10 }] },
      optimizer: { name: 'rmsprop', lr: 0.003 }, batch_size: 20 });
    await lab.train(25);
    lab.setHyperparameters({ schedule: { name: 'step', step_size: 10, gamma: 0.5 } });
    await lab.train(30);
  },
  plane_regression: async () => {
    lab.load({ seed: 8, data: { name: 'plane', n: 150, noise: 0.1 },
      model: { layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 1 }] },
      optimizer: { name: 'sgd', lr: 0.01 }, batch_size: 5, stop: { epochs: 3 } });
    await lab.trainUntil(500);
    lab.setHyperparameters({ stop: { epochs: 5 } });
    await lab.trainUntil(500);
  },
};

const parseJson = (x) => JSON.parse(typeof x === 'string' ? x : new TextDecoder().decode(x));
const links = [];
for (const [name, run] of Object.entries(runs)) {
  await run();
  const h = lab.history();
  const digest = lab.digest();
  links.push({ name, hash: encodeState(h), digest, step: h.step });
  writeFileSync(path.join(dir, `${name}.experiment.json`), JSON.stringify({ format: 'neuronlab-experiment', version: 1,
    history: h, digest, model: parseJson(lab.exportModel('json')) }, null, 1));
  writeFileSync(path.join(dir, `${name}.nlmodel`), lab.exportModel('binary'));
}
writeFileSync(path.join(dir, 'links.json'), JSON.stringify(links, null, 1) + '\n');
lab.close();
console.log(`wrote ${links.length} links, experiment and model files to ${dir}`);
