import * as tf from '@tensorflow/tfjs';
import { MlpKernel, parameterLayout } from '../dqn/mlp.js';
import { getFlatWeights } from '../dqn/tfjs-q-network.js';

/** Which code computes a loaded model's Q-values. */
export type InferenceEngine = 'kernel' | 'tfjs';

/** Q-values of one observation (feature row + position). */
export interface QFunction {
  readonly inputSize: number;
  readonly actions: number;
  /** Writes Q(observation, a) for every action into `out`. */
  qValues(observation: Float32Array, out: Float32Array): void;
  dispose(): void;
}

/**
 * The network's shape as the layers say it: Dense layers only, ReLU hidden and a linear head (what
 * saveModel writes). Anything else is refused, because the kernel would compute something else.
 */
export function denseShape(
  model: tf.LayersModel,
  source: string,
): { inputSize: number; hiddenLayers: number[]; actions: number } {
  const inputSize = model.inputs[0]?.shape[1];
  if (typeof inputSize !== 'number') throw new Error(`${source}: the model has no fixed input width`);
  const units: number[] = [];
  model.layers.forEach((layer, i) => {
    const config = layer.getConfig() as { units?: number; activation?: string };
    const last = i === model.layers.length - 1;
    if (layer.getClassName() !== 'Dense' || typeof config.units !== 'number') {
      throw new Error(`${source}: layer ${i} is ${layer.getClassName()}, expected Dense layers only`);
    }
    const wanted = last ? 'linear' : 'relu';
    if (config.activation !== wanted) {
      throw new Error(
        `${source}: layer ${i} has activation ${String(config.activation)}, expected ${wanted}`,
      );
    }
    units.push(config.units);
  });
  if (units.length < 2)
    throw new Error(`${source}: expected hidden layers and an output layer, found ${units.length} layer(s)`);
  return { inputSize, hiddenLayers: units.slice(0, -1), actions: units[units.length - 1]! };
}

/**
 * Q-values from the project's own forward pass (worker/dqn/mlp.ts), the code the training
 * evaluation ran: a backtest of a model trained with the default engine reproduces its
 * out-of-sample numbers bit for bit (tfjs's matmul rounds differently in the last bits).
 */
export function kernelQFunction(model: tf.LayersModel, source: string): QFunction {
  const shape = denseShape(model, source);
  const mlpShape = {
    inputSize: shape.inputSize,
    hiddenLayers: shape.hiddenLayers,
    outputSize: shape.actions,
  };
  const params = getFlatWeights(model);
  const expected = parameterLayout(mlpShape).count;
  if (params.length !== expected) {
    throw new Error(
      `${source}: ${params.length} weights, a ${[shape.inputSize, ...shape.hiddenLayers, shape.actions].join('→')} network has ${expected}`,
    );
  }
  // Inference only: one parameter array, one input, no optimiser state.
  const kernel = new MlpKernel(mlpShape, 1, { params: 1, inputs: 1, adam: 0 });
  const inKernel = kernel.allocParams();
  inKernel.set(params);
  return {
    inputSize: shape.inputSize,
    actions: shape.actions,
    qValues: (observation, out) => kernel.forward(inKernel, observation, 1, out),
    dispose: () => {},
  };
}

/** Q-values from the TensorFlow.js model itself (model.predict), on the active tfjs backend. */
export function tfjsQFunction(model: tf.LayersModel, source: string): QFunction {
  const shape = denseShape(model, source);
  return {
    inputSize: shape.inputSize,
    actions: shape.actions,
    qValues: (observation, out) => {
      const values = tf.tidy(() =>
        (model.predict(tf.tensor2d(observation, [1, shape.inputSize])) as tf.Tensor).dataSync(),
      );
      out.set(values);
    },
    dispose: () => model.dispose(),
  };
}
