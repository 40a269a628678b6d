import type { ModelMetadata } from '../dqn/index.js';
import { Action, NUM_ACTIONS } from '../environment.js';
import { FEATURE_VERSION, type FeatureSettings, FeatureSettingsSchema, featureNames } from '../features.js';

/** The action names a model's outputs must have, in order (worker/environment.ts). */
export const ACTION_NAMES = Object.keys(Action) as (keyof typeof Action)[];

/**
 * Checks that a saved model's inputs are the features this code computes — feature version,
 * window, column names, input width, actions — and returns its feature settings. A difference is
 * an error naming `source` (the model's feature-settings.json) and what differs.
 */
export function checkModelFeatures(metadata: ModelMetadata, source: string): FeatureSettings {
  const refuse = (what: string) => {
    throw new Error(`${source}: ${what}; this model cannot be used with this code (retrain it)`);
  };
  if (String(metadata.featureVersion) !== String(FEATURE_VERSION)) {
    refuse(
      `featureVersion is ${metadata.featureVersion}, this code computes feature version ${FEATURE_VERSION}`,
    );
  }
  const raw = metadata.featureSettings;
  if (raw.version !== FEATURE_VERSION) {
    refuse(
      `featureSettings.version is ${String(raw.version)}, this code computes version ${FEATURE_VERSION}`,
    );
  }
  const parsed = FeatureSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(`featureSettings.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const settings = parsed.data!;
  const expected = featureNames(settings.windowSize);
  const names = raw.names;
  if (names !== undefined) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      refuse('featureSettings.names must be a list of column names');
    }
    const saved = names as string[];
    const at = expected.findIndex((name, i) => saved[i] !== name);
    if (at >= 0) {
      refuse(
        `input ${at} is "${saved[at] ?? '(missing)'}" in the file, "${expected[at]}" in this code (window ${settings.windowSize})`,
      );
    }
    if (saved.length > expected.length) {
      refuse(
        `the file names ${saved.length} features, this code computes ${expected.length}: "${saved[expected.length]}" is unknown`,
      );
    }
  }
  if (metadata.inputSize !== expected.length + 1) {
    refuse(
      `inputSize is ${metadata.inputSize}, the features of window ${settings.windowSize} give ${expected.length} inputs + the position = ${expected.length + 1}`,
    );
  }
  const actions = metadata.actionMeanings;
  if (actions.length !== NUM_ACTIONS || actions.some((a, i) => a !== ACTION_NAMES[i])) {
    refuse(`actionMeanings are [${actions.join(', ')}], this code trades [${ACTION_NAMES.join(', ')}]`);
  }
  return settings;
}
