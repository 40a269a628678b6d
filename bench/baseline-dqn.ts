import * as tf from '@tensorflow/tfjs';
import type { DqnHyperparameters } from '../shared/hyperparameters.js';
import { Rng } from '../worker/rng.js';

interface Transition {
  obs: Float32Array;
  action: number;
  reward: number;
  nextObs: Float32Array;
  done: boolean;
}

/**
 * The yardstick: a DQN written the common way with the tfjs layers API — model.predict for every
 * action, targets from target.predict, model.fit for every update, transitions in a JS array.
 * Same network, batch, schedule and Huber loss as ours; it only exists for `npm run bench`.
 */
export class LayersApiDqn {
  private readonly model: tf.Sequential;
  private readonly target: tf.Sequential;
  private readonly memory: Transition[] = [];
  private readonly rng: Rng;
  private stepCount = 0;
  updates = 0;

  constructor(
    private readonly inputSize: number,
    private readonly hp: DqnHyperparameters,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    const build = () => {
      const model = tf.sequential();
      hp.hiddenLayers.forEach((units, i) => {
        model.add(
          tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [inputSize] } : {}) }),
        );
      });
      model.add(tf.layers.dense({ units: 2 }));
      return model;
    };
    this.model = build();
    this.target = build();
    this.model.compile({
      optimizer: tf.train.adam(hp.learningRate),
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
        tf.losses.huberLoss(yTrue, yPred, undefined, hp.huberDelta),
    });
    this.target.setWeights(this.model.getWeights());
  }

  act(obs: Float32Array, epsilon: number): number {
    if (this.rng.next() < epsilon) return this.rng.int(2);
    return tf.tidy(() => {
      const q = this.model.predict(tf.tensor2d(obs, [1, this.inputSize])) as tf.Tensor;
      return q.argMax(1).dataSync()[0]!;
    });
  }

  async observe(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, done: boolean) {
    this.memory.push({ obs: obs.slice(), action, reward, nextObs: nextObs.slice(), done });
    if (this.memory.length > this.hp.replayCapacity) this.memory.shift();
    this.stepCount++;
    if (this.stepCount % this.hp.targetSyncEvery === 0) this.target.setWeights(this.model.getWeights());
    if (
      this.stepCount < this.hp.warmupSteps ||
      this.memory.length < this.hp.batchSize ||
      this.stepCount % this.hp.trainEvery !== 0
    ) {
      return;
    }
    const batch = Array.from(
      { length: this.hp.batchSize },
      () => this.memory[this.rng.int(this.memory.length)]!,
    );
    const [x, y] = tf.tidy(() => {
      const states = tf.tensor2d(batch.map((t) => Array.from(t.obs)));
      const nextStates = tf.tensor2d(batch.map((t) => Array.from(t.nextObs)));
      const q = (this.model.predict(states) as tf.Tensor2D).arraySync();
      const nextQ = (this.target.predict(nextStates) as tf.Tensor).max(1).arraySync() as number[];
      batch.forEach((t, i) => {
        q[i]![t.action] = t.reward + (t.done ? 0 : this.hp.gamma * nextQ[i]!);
      });
      return [states, tf.tensor2d(q)];
    });
    await this.model.fit(x, y, { batchSize: this.hp.batchSize, epochs: 1, verbose: 0 });
    tf.dispose([x, y]);
    this.updates++;
  }

  dispose(): void {
    this.model.dispose();
    this.target.dispose();
  }
}
