import { stringify } from 'yaml';
import { workerConfigFile } from '../shared/index.js';
import type { RunPlan } from './plan.js';

export interface KubernetesOptions {
  /** Prefix of every object's name. */
  name: string;
  namespace: string | null;
  image: string;
  /** Where the claim is mounted in each pod; the plan's folders must lie inside it. */
  mountPath: string;
  /** Size of the claim (`10Gi`). */
  storage: string;
  /** A storage class that offers ReadWriteMany (NFS, CephFS, EFS, …); null: the cluster's default. */
  storageClass: string | null;
  memory: string;
  cpu: string;
}

type Manifest = Record<string, unknown>;

/**
 * A Kubernetes rendering of a plan: a PersistentVolumeClaim (ReadWriteMany) for the run's folders,
 * a ConfigMap with each worker's config, and an Indexed Job with one completion per worker;
 * completion index i runs worker i + 1. Pods run unprivileged with a read-only root, as the Compose
 * file does. There is no supervisor: Kubernetes restarts a failed pod (backoff), and the worker
 * resumes from its checkpoints on the claim.
 */
export function kubernetesManifest(plan: RunPlan, options: KubernetesOptions): Manifest[] {
  const metadata = (name: string) => ({
    name,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    labels: {
      'app.kubernetes.io/name': 'ai-trading-workers',
      'app.kubernetes.io/component': 'worker',
      'trading-workers/run': plan.runId.toLowerCase(),
    },
  });
  const claim = `${options.name}-data`;
  const configs = `${options.name}-configs`;
  const configDir = '/etc/trading-workers';
  const workers = plan.workers.length;
  const configFile = (id: number) => workerConfigFile(configDir, id).replace(/^.*\//, '');
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata(claim),
      spec: {
        // Every worker pod writes results/, models/ and data/ on the same claim, maybe from several nodes.
        accessModes: ['ReadWriteMany'],
        ...(options.storageClass ? { storageClassName: options.storageClass } : {}),
        resources: { requests: { storage: options.storage } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(configs),
      data: Object.fromEntries(
        plan.workers.map((w) => [configFile(w.workerId), `${JSON.stringify(w.config, null, 2)}\n`]),
      ),
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: metadata(options.name),
      spec: {
        completionMode: 'Indexed',
        completions: workers,
        parallelism: workers,
        // Five tries per worker, as the supervisor's restart policy allows.
        backoffLimit: 5 * workers,
        template: {
          metadata: { labels: metadata(options.name).labels },
          spec: {
            restartPolicy: 'OnFailure',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              // Makes the claim writable by the image's user.
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'worker',
                image: options.image,
                // The completion index is 0-based; worker ids start at 1. `exec`: SIGTERM reaches node.
                command: [
                  'sh',
                  '-c',
                  `exec node dist/worker/main.js --config ${configDir}/worker_$((JOB_COMPLETION_INDEX + 1))_config.json`,
                ],
                env: [{ name: 'NODE_ENV', value: 'production' }],
                resources: {
                  requests: { cpu: options.cpu, memory: options.memory },
                  limits: { memory: options.memory },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'run-data', mountPath: options.mountPath },
                  { name: 'configs', mountPath: configDir, readOnly: true },
                  { name: 'scratch', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'run-data', persistentVolumeClaim: { claimName: claim } },
              { name: 'configs', configMap: { name: configs } },
              { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            ],
          },
        },
      },
    },
  ];
}

/** The manifest as one multi-document YAML text, ready for `kubectl apply -f -`. */
export function kubernetesManifestText(plan: RunPlan, options: KubernetesOptions): string {
  const header = `# ai-trading-workers run ${plan.runId}: ${plan.workers.length} workers, ${plan.jobsTotal} jobs (trading-workers k8s-manifest)\n`;
  return (
    header +
    kubernetesManifest(plan, options)
      .map((doc) => stringify(doc, { lineWidth: 0 }))
      .join('---\n')
  );
}
