import { Action } from './environment.js';

/** The majority of flat (0) / long (1) votes; a tie, or no vote at all, is flat. */
export function majorityVote(actions: ArrayLike<number>): number {
  let long = 0;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a !== Action.flat && a !== Action.long) {
      throw new Error(`majorityVote: vote ${i} is ${a}, need 0 (flat) or 1 (long)`);
    }
    long += a;
  }
  // Long needs a strict majority: with an even number of seeds a split decision stays in cash.
  return 2 * long > actions.length ? Action.long : Action.flat;
}
