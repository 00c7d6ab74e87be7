import { RequestRecorder, type TrafficSummary } from '../load/request-recorder';
import { ResourceSampler, type ResourceUsage } from '../load/resource-sampler';

export type LoadModel = 'closed' | 'open' | 'users';

/** One measured phase: what the load generator saw and what every process spent meanwhile. */
export interface PhaseResult {
  readonly name: string;
  readonly model: LoadModel;
  readonly traffic: TrafficSummary;
  readonly resources: ResourceUsage;
}

export interface PhaseTarget {
  /** The app's root process(es); cluster workers below them are counted with them. */
  readonly appPids: readonly number[];
  /** Further apps reported apart (reverse-order, payment provider). */
  readonly extraPids?: Readonly<Record<string, number>>;
}

/**
 * Runs one phase with a fresh recorder while the resource sampler watches /proc. `drive` sends the
 * load, records each request and returns the wall seconds it took.
 */
export async function measurePhase(
  name: string,
  model: LoadModel,
  target: PhaseTarget,
  drive: (recorder: RequestRecorder) => Promise<number>,
): Promise<PhaseResult> {
  const sampler = ResourceSampler.start({ appPids: target.appPids, extraPids: target.extraPids });
  const recorder = new RequestRecorder();
  let seconds: number;
  try {
    seconds = await drive(recorder);
  } catch (error) {
    sampler.stop(); // its timer must not outlive the phase
    throw error;
  }
  const resources = sampler.stop();
  return { name, model, traffic: recorder.summarize(seconds), resources };
}
