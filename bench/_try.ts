import { measureFleet, formatFleet } from './fleet.js';
const m = await measureFleet({ seconds: Number(process.argv[2] ?? 6), keyPresses: 20 });
console.log(formatFleet(m).join('\n'));
