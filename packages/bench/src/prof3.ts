import { createRedlock } from '@redis-locks/redlock';
import { startNodes } from '@redis-locks/testing';
import { Redis } from 'ioredis';

const nodes = await startNodes(5);
const clients = nodes.nodes.map((n) => new Redis(n.url));
const s = createRedlock({ clients });
let n = 0;
const lat: number[] = [];
const end = performance.now() + 4000;
const cpu0 = process.cpuUsage();
while (performance.now() < end) {
  const t = performance.now();
  const l = await s.acquire('r', { ttl: 10000, waitTimeout: 0 });
  lat.push(performance.now() - t);
  await l.release();
  n++;
}
const cpu = process.cpuUsage(cpu0);
lat.sort((a, b) => a - b);
console.log(
  'N=5 cycles/s',
  (n / 4).toFixed(0),
  'acq p50 us',
  (lat[lat.length >> 1]! * 1000).toFixed(0),
  'cpu us/cycle',
  ((cpu.user + cpu.system) / n).toFixed(1),
  'user',
  (cpu.user / n).toFixed(1),
);
await s.close();
for (const c of clients) c.disconnect();
await nodes.stop();
process.exit(0);
