import type { ReconciliationRun, RunCounts, RunStatus, RunTrigger, StepName } from '../domain/reconciliation-run.js';

/** A run record as SPEC §8 shows it. */
export interface ReconciliationRunView {
  id: string;
  asOf: string;
  trigger: RunTrigger;
  dryRun: boolean;
  status: RunStatus;
  /** The step in progress (running), or the last one entered (finished); null before the first. */
  step: StepName | null;
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
  /** Sum of the credit notes issued (or, for a dry run, that would be issued), rand string. */
  creditsTotal: string;
  /** Present on failed runs only: the step and a one-line reason. */
  error?: string;
}

export function toRunView(run: ReconciliationRun): ReconciliationRunView {
  const p = run.snapshot();
  return {
    id: p.id,
    asOf: p.asOf.toString(),
    trigger: p.trigger,
    dryRun: p.dryRun,
    status: p.status,
    step: p.step,
    startedAt: p.startedAt.toISOString(),
    finishedAt: p.finishedAt?.toISOString() ?? null,
    counts: { ...p.counts },
    creditsTotal: p.creditsTotal.toRand(),
    ...(p.error !== null ? { error: p.error } : {}),
  };
}
