/**
 * Biểu quyết: a vote of an agenda item as the caller sees it — the question, named or secret, the live tally
 * (a secret vote shows only how many have voted until it closes), the caller's ballot buttons (Đồng ý /
 * Không đồng ý / Không biểu quyết) when the server allows CAST, and "Kết thúc biểu quyết" when it allows
 * CLOSE. Presentational: the page passes the vote (kept live by the meeting's events) and the actions.
 * `OpenVoteForm` is the chair's form to open a vote (question, named/secret).
 */
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { MeetingVoteFieldsFragment, VoteChoice } from '../../graphql/generated';
import { Field, FormError } from '../../components/documents/fields';

export const VOTE_CHOICES: readonly VoteChoice[] = ['AGREE', 'DISAGREE', 'ABSTAIN'];

export function VotePanel({
  vote,
  onCast,
  onClose,
}: {
  vote: MeetingVoteFieldsFragment;
  onCast: (choice: VoteChoice) => Promise<unknown>;
  onClose: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = vote.status === 'OPEN';
  const canCast = vote.allowedActions.includes('CAST') && !vote.hasVoted;
  const canClose = vote.allowedActions.includes('CLOSE');
  const { tally } = vote;
  const split = tally.agree !== null && tally.agree !== undefined;
  const headingId = `vote-${vote.id}-heading`;
  return (
    <section className="mtg-vote" aria-labelledby={headingId} data-testid="vote-panel">
      <h3 id={headingId} className="mtg-vote__question">
        {t('meetings.vote.heading', { question: vote.question })}
      </h3>
      <p className="mtg-vote__meta">
        <span className={`doc-badge ${open ? 'doc-badge--new' : 'doc-badge--muted'}`}>{t(`meetings.vote.status.${vote.status}`)}</span>{' '}
        <span className="doc-badge doc-badge--plain">{vote.secret ? t('meetings.vote.secret') : t('meetings.vote.named')}</span>
      </p>
      <div role="status" aria-live="polite" data-testid="vote-tally" className="mtg-vote__tally">
        {split ? (
          <dl className="mtg-tally">
            <div>
              <dt>{t('meetings.vote.choice.AGREE')}</dt>
              <dd>{tally.agree}</dd>
            </div>
            <div>
              <dt>{t('meetings.vote.choice.DISAGREE')}</dt>
              <dd>{tally.disagree}</dd>
            </div>
            <div>
              <dt>{t('meetings.vote.choice.ABSTAIN')}</dt>
              <dd>{tally.abstain}</dd>
            </div>
            <div>
              <dt>{t('meetings.vote.notVoted')}</dt>
              <dd>{tally.notVoted}</dd>
            </div>
          </dl>
        ) : (
          <p>{t('meetings.vote.castCount', { cast: tally.cast, eligible: tally.eligible })}</p>
        )}
        {!open && vote.passed !== null && vote.passed !== undefined ? (
          <p className={vote.passed ? 'mtg-vote__result mtg-vote__result--passed' : 'mtg-vote__result'}>
            {vote.passed ? t('meetings.vote.passed') : t('meetings.vote.notPassed')}
          </p>
        ) : null}
      </div>
      {vote.hasVoted ? (
        <p className="mtg-vote__mine">
          {vote.myChoice ? t('meetings.vote.myChoice', { choice: t(`meetings.vote.choice.${vote.myChoice}`) }) : t('meetings.vote.votedSecret')}
        </p>
      ) : null}
      {canCast ? (
        <div className="mtg-vote__choices" role="group" aria-label={t('meetings.vote.castLabel')}>
          {VOTE_CHOICES.map((c) => (
            <button
              key={c}
              type="button"
              className={`btn ${c === 'AGREE' ? 'btn--primary' : c === 'DISAGREE' ? 'btn--danger' : 'btn--secondary'}`}
              disabled={busy}
              onClick={() => void run(() => onCast(c))}
            >
              {t(`meetings.vote.choice.${c}`)}
            </button>
          ))}
        </div>
      ) : null}
      {canClose ? (
        <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void run(onClose)}>
          {t('meetings.vote.close')}
        </button>
      ) : null}
      {!vote.secret && vote.ballots.length > 0 ? (
        <details className="mtg-vote__ballots">
          <summary>{t('meetings.vote.ballots', { count: vote.ballots.length })}</summary>
          <ul>
            {vote.ballots.map((b) => (
              <li key={b.user.id}>
                {b.user.fullName}: {t(`meetings.vote.choice.${b.choice}`)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <FormError error={error} />
    </section>
  );
}

const openVoteSchema = z.object({
  question: z.string().trim().min(1, { message: 'Chưa nhập nội dung biểu quyết.' }).max(500, { message: 'Nội dung biểu quyết tối đa 500 ký tự.' }),
  secret: z.boolean(),
});
type OpenVoteValues = z.infer<typeof openVoteSchema>;

/** The chair's form: the question put to the vote and whether it is secret (bỏ phiếu kín). */
export function OpenVoteForm({ defaultQuestion, onOpen }: { defaultQuestion: string; onOpen: (v: OpenVoteValues) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<OpenVoteValues>({ resolver: zodResolver(openVoteSchema), defaultValues: { question: defaultQuestion, secret: false } });
  const submit = handleSubmit(async (v) => {
    setError(null);
    try {
      await onOpen(v);
    } catch (e) {
      setError(e);
    }
  });
  return (
    <form className="mtg-open-vote" onSubmit={(e) => void submit(e)} noValidate>
      <Field label={t('meetings.vote.question')} error={errors.question?.message} required>
        {(c) => <input {...c} type="text" {...register('question')} />}
      </Field>
      <label className="doc-check">
        <input type="checkbox" {...register('secret')} />
        <span>{t('meetings.vote.secretOption')}</span>
      </label>
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {t('meetings.vote.open')}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
