// The mood of what was written on a request: a badge with the sentiment label and the
// frustration of a comment, read from its `request.commented` audit entry (the timeline) or
// from the comment itself (docs/SENTIMENT.md). Words, not colour alone, carry the meaning.
import type { AuditEntry, Sentiment } from '../shared/api';
import { t } from '../shared/i18n';

// The score an audit entry carries in `after.sentiment`, if any.
export function entrySentiment(entry: AuditEntry): Sentiment | null {
  const after = (entry as AuditEntry & { after?: { sentiment?: Sentiment } }).after;
  const s = after && typeof after === 'object' ? after.sentiment : undefined;
  return s && typeof s.label === 'string' ? s : null;
}

export function MoodBadge({ sentiment }: { sentiment: Sentiment | null | undefined }) {
  if (!sentiment) return null;
  const mood = sentiment.angry ? 'angry' : sentiment.label;
  const frustration = Math.round(sentiment.frustration * 100);
  const cls = sentiment.angry ? 'badge breached' : sentiment.label === 'negative' ? 'badge at_risk' : 'badge ok';
  return (
    <span class={cls} data-testid="mood" title={t('mood.title', { version: sentiment.lexicon_version })}>
      {t('mood.badge', { mood: t(`mood.${mood}`), frustration })}
    </span>
  );
}

// The badge of a timeline entry: only comments carry a score.
export function EntryMood({ entry }: { entry: AuditEntry }) {
  return <MoodBadge sentiment={entrySentiment(entry)} />;
}
