import { execa } from 'execa';

/** The `docker` client to call and its environment (DOCKER_HOST for a private engine). */
export interface DockerClient {
  file: string;
  env: NodeJS.ProcessEnv;
}

/** The client on PATH, talking to whatever DOCKER_HOST says. */
export function defaultDockerClient(env: NodeJS.ProcessEnv = process.env): DockerClient {
  return { file: 'docker', env };
}

/** Runs `docker ARGS`; on failure throws with the command and the first line of what docker said. */
export async function docker(client: DockerClient, args: string[]): Promise<string> {
  const result = await execa(client.file, args, { env: client.env, reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    const said = String(result.stderr || result.stdout).trim();
    throw new Error(`docker ${args.slice(0, 2).join(' ')} failed (exit ${result.exitCode}): ${said}`);
  }
  return String(result.stdout);
}

/** True when the engine has an image with this tag or id. */
export async function imageExists(client: DockerClient, image: string): Promise<boolean> {
  const result = await execa(client.file, ['image', 'inspect', '--format', '{{.Id}}', image], {
    env: client.env,
    reject: false,
    stdin: 'ignore',
  });
  return result.exitCode === 0;
}
