import { currentContext } from '@aftersales/contracts';

/** Fields every log line carries: the correlation id and whatever the handler added (callId, branchId). */
export function contextLogFields(): Record<string, string> {
  const ctx = currentContext();
  if (!ctx) return {};
  return {
    ...ctx.fields,
    correlationId: ctx.correlationId,
    ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
  };
}

/** Adds fields (e.g. `{ callId, branchId }`) to the log lines of the rest of the current request or event. */
export function addLogFields(fields: Record<string, string>): void {
  const ctx = currentContext();
  if (ctx) ctx.fields = { ...ctx.fields, ...fields };
}
