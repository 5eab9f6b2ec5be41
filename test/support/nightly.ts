import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import type { NightlyStep, RunProgress } from '#libs/contracts/index.js';
import type { TestApp } from './app.js';

export type StepTotals = Required<RunProgress>;

/**
 * Sends one nightly step command (as a reconciliation run does) and returns what its committed
 * batches reported: the counts a run record would add up.
 */
export async function runStep(
  t: Pick<TestApp, 'get'>,
  Step: new (asOf: string, batchSize: number, runId: string, report: NightlyStep['report']) => NightlyStep,
  asOf: string,
  options: { batchSize?: number; runId?: string } = {},
): Promise<StepTotals> {
  const totals: StepTotals = {
    referralsExpired: 0,
    referralsQualified: 0,
    referralsCancelled: 0,
    rewardsEarned: 0,
    rewardsApplied: 0,
    rewardsExpired: 0,
    creditsTotalCents: 0n,
  };
  await t.get<CommandBus>(CommandBus).execute(
    new Step(asOf, options.batchSize ?? 1000, options.runId ?? randomUUID(), async (delta) => {
      for (const [key, value] of Object.entries(delta) as [keyof StepTotals, number | bigint][]) {
        (totals as Record<string, number | bigint>)[key] = (totals[key] as never) + (value as never);
      }
    }),
  );
  return totals;
}
