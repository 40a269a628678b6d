import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import { kubernetesManifestText, planRun } from '../../supervisor/index.js';
import {
  dataOptions,
  evaluationOptions,
  planCounts,
  planFlags,
  toDataSettings,
  toEvaluationSettings,
} from '../arguments.js';
import { defineCommand } from '../define-command.js';
import { EXIT, UsageError } from '../exit-codes.js';

// Kubernetes object names: DNS-1123 labels, short enough for the pods' suffixes.
const DNS_NAME = /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/;

/** `trading-workers k8s-manifest`: the plan as a Kubernetes Indexed Job over a shared claim. */
export const k8sManifestCommand = defineCommand({
  command: 'k8s-manifest',
  describe: 'print a Kubernetes Indexed Job (one completion per worker) and its volume claim for a plan',
  examples: [
    ['$0 k8s-manifest > job.yaml', 'the default plan as an Indexed Job of 4 workers over one volume claim'],
    [
      '$0 k8s-manifest --workers 8 --image registry.example/trading-workers:1 --storage-class nfs',
      'eight workers, an image the cluster can pull, a ReadWriteMany storage class',
    ],
  ],
  builder: (y) =>
    planFlags(evaluationOptions(dataOptions(y)))
      .option('name', {
        type: 'string',
        default: 'trading-workers',
        describe: 'name of the Job (and prefix of the others)',
      })
      .option('namespace', { type: 'string', describe: 'namespace of every object' })
      .option('image', {
        type: 'string',
        default: process.env.TW_IMAGE || 'ai-trading-workers:latest',
        describe: 'worker image (in a registry the cluster can pull from)',
      })
      .option('mount-path', {
        type: 'string',
        default: '/var/lib/trading-workers',
        describe: 'where the claim is mounted: results/, models/, data/ live under it',
      })
      .option('storage', { type: 'string', default: '10Gi', describe: 'size of the volume claim' })
      .option('storage-class', { type: 'string', describe: 'a ReadWriteMany storage class (NFS, CephFS, …)' })
      .option('memory', { type: 'string', default: '1Gi', describe: 'memory request and limit per worker' })
      .option('cpu', { type: 'string', default: '1', describe: 'CPU request per worker' })
      .option('out', { type: 'string', describe: 'write the manifest to this file instead of stdout' }),
  handler: async (a) => {
    if (!DNS_NAME.test(a.name)) {
      throw new UsageError(`--name must be lower-case letters, digits and '-' (at most 42), got '${a.name}'`);
    }
    const mount = a.mountPath;
    if (!path.posix.isAbsolute(mount)) throw new UsageError(`--mount-path must be absolute, got '${mount}'`);
    const data = toDataSettings(a);
    // The plan's folders as the pods see them: everything on the claim.
    const inPod = (p: string) => path.posix.resolve(mount, p);
    const plan = planRun(
      {
        ...planCounts(a),
        data: { ...data, cacheDir: inPod('data'), dataDir: a.dataDir ? inPod(a.dataDir) : null },
        environment: { ...DEFAULT_ENVIRONMENT, ...toEvaluationSettings(a) },
        seed: a.seed,
        resultsDir: inPod('results'),
        modelsDir: inPod('models'),
      },
      new Date(),
    );
    const text = kubernetesManifestText(plan, {
      name: a.name,
      namespace: a.namespace ?? null,
      image: a.image,
      mountPath: mount,
      storage: a.storage,
      storageClass: a.storageClass ?? null,
      memory: a.memory,
      cpu: a.cpu,
    });
    if (a.out) {
      writeFileSync(a.out, text);
      process.stderr.write(
        `${a.out}: ${plan.workers.length} workers, ${plan.jobsTotal} jobs (run ${plan.runId})\n`,
      );
    } else {
      process.stdout.write(text);
    }
    return EXIT.ok;
  },
});
