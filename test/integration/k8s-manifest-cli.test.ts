import test from 'ava';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_PAIRS, WorkerConfigSchema } from '../../shared/index.js';
import { runCli } from '../helpers/cli.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, checked field by field below
type Doc = Record<string, any>;

test('k8s-manifest: a 4-worker plan becomes a claim, the configs and an Indexed Job (completion index → worker id)', async (t) => {
  const result = await runCli([
    'k8s-manifest',
    '--workers',
    '4',
    '--offline',
    '--namespace',
    'ml',
    '--storage-class',
    'nfs',
  ]);
  t.is(result.exitCode, 0, String(result.stderr));
  const docs = parseAllDocuments(String(result.stdout)).map((d) => d.toJS() as Doc);
  t.deepEqual(
    docs.map((d) => d.kind),
    ['PersistentVolumeClaim', 'ConfigMap', 'Job'],
  );
  const [claim, configs, job] = docs as [Doc, Doc, Doc];
  for (const doc of docs) t.is(doc.metadata.namespace, 'ml');

  t.deepEqual(claim.spec.accessModes, ['ReadWriteMany']);
  t.is(claim.spec.storageClassName, 'nfs');
  t.is(claim.spec.resources.requests.storage, '10Gi');

  // One config per worker, valid against the contract, every folder on the claim, all 60 jobs once.
  t.deepEqual(
    Object.keys(configs.data).sort(),
    [1, 2, 3, 4].map((n) => `worker_${n}_config.json`),
  );
  const jobs: string[] = [];
  for (const n of [1, 2, 3, 4]) {
    const config = WorkerConfigSchema.parse(JSON.parse(configs.data[`worker_${n}_config.json`]));
    t.is(config.workerId, n);
    t.is(config.resultsDir, '/var/lib/trading-workers/results');
    t.is(config.modelsDir, '/var/lib/trading-workers/models');
    t.is(config.data.cacheDir, '/var/lib/trading-workers/data');
    t.is(config.data.source, 'offline');
    jobs.push(...config.jobs.map((j) => j.jobId));
  }
  t.is(jobs.length, DEFAULT_PAIRS.length * 4);
  t.is(new Set(jobs).size, jobs.length);

  t.is(job.apiVersion, 'batch/v1');
  t.like(job.spec, { completionMode: 'Indexed', completions: 4, parallelism: 4 });
  const pod = job.spec.template.spec;
  t.is(pod.restartPolicy, 'OnFailure');
  t.like(pod.securityContext, { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
  const [container] = pod.containers as Doc[];
  t.like(container!.securityContext, {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  t.is(container!.image, 'ai-trading-workers:latest');
  t.deepEqual(
    pod.volumes.map((v: Doc) => v.persistentVolumeClaim?.claimName ?? v.configMap?.name ?? v.name),
    [claim.metadata.name, configs.metadata.name, 'scratch'],
  );
  t.true(container!.volumeMounts.some((m: Doc) => m.mountPath === '/var/lib/trading-workers'));

  // The pod's command, run by a real shell with Kubernetes' JOB_COMPLETION_INDEX: index i → worker i + 1.
  const [shell, flag, script] = container!.command as [string, string, string];
  t.is(shell, 'sh');
  for (const index of [0, 3]) {
    const echoed = await execa(shell, [flag, script.replace('exec node', 'exec echo')], {
      env: { JOB_COMPLETION_INDEX: String(index) },
    });
    t.is(echoed.stdout, `dist/worker/main.js --config /etc/trading-workers/worker_${index + 1}_config.json`);
  }
});

test('k8s-manifest: a bad name is a usage error naming the option', async (t) => {
  const result = await runCli(['k8s-manifest', '--name', 'Trading_Workers']);
  t.is(result.exitCode, 2);
  t.regex(String(result.stderr), /--name must be lower-case letters, digits and '-'.*Trading_Workers/);
});
