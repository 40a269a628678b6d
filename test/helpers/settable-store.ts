// The hand-driven store lives in shared/ (the HTTP load bench uses it too); tests import it from here.
export { type SettableStore, settableStore } from '../../shared/settable-store.js';
