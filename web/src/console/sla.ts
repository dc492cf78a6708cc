// The SLA status of a request at a given moment, so countdowns and row marks move with the
// clock between two reads of the queue.
import type { Request } from '../shared/api';

export const TERMINAL = new Set(['completed', 'rejected', 'cancelled', 'failed']);

export type SlaMark = 'on_track' | 'at_risk' | 'breached' | 'paused' | 'met' | 'none';

export function slaAt(r: Request, now: number): { mark: SlaMark; secondsLeft: number | null } {
  const due = r.sla?.due_at ? Date.parse(r.sla.due_at) : null;
  if (TERMINAL.has(r.state)) return { mark: due === null ? 'none' : 'met', secondsLeft: null };
  if (r.sla?.paused) return { mark: 'paused', secondsLeft: r.sla.time_left_seconds ?? null };
  if (due === null) return { mark: 'none', secondsLeft: null };
  const left = Math.round((due - now) / 1000);
  if (left <= 0 || r.sla.status === 'breached') return { mark: 'breached', secondsLeft: left };
  const risk = r.sla.at_risk_at ? Date.parse(r.sla.at_risk_at) : null;
  if ((risk !== null && now >= risk) || r.sla.status === 'at_risk') return { mark: 'at_risk', secondsLeft: left };
  return { mark: 'on_track', secondsLeft: left };
}
