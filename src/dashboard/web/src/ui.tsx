// Small building blocks every view uses: amounts, statuses, errors, headings, figures.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from './api';
import { statusLabel } from './format';
import { formatMoney, formatMoneyCompact } from './money';
import { useSession } from './session';
import type { Money } from './types';

/** An exact amount, localised (never through a float); the raw value is in the title. */
export function Amount({
  money,
  strong,
  compact,
}: {
  money: Money | undefined;
  strong?: boolean;
  /** Abbreviate a wide amount ("IRR 37.8T"); the exact one is its title and what a reader hears. */
  compact?: boolean;
}) {
  const { locale } = useSession();
  if (money === undefined) return <span class="muted">—</span>;
  const text = formatMoney(money.amount, money.currency, locale);
  const short =
    compact === true ? formatMoneyCompact(money.amount, money.currency, locale) : undefined;
  const classes = strong === true ? 'money strong' : 'money';
  if (short !== undefined) {
    return (
      <span
        class={`${classes} compact`}
        title={text}
        data-exact={`${money.amount} ${money.currency}`}
      >
        <bdi aria-hidden="true">{short}</bdi>
        <span class="visually-hidden">{text}</span>
      </span>
    );
  }
  return (
    <span class={classes} title={`${money.amount} ${money.currency}`}>
      <bdi>{text}</bdi>
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status}`}>
      {statusLabel(status)}{' '}
      <abbr class="code" title="ISO 20022 status">
        {status}
      </abbr>
    </span>
  );
}

/** An API error as the server put it: message, code, and the field at fault. */
export function ErrorNotice({
  error,
  title,
}: {
  error: ApiError | Error | undefined;
  title?: string;
}) {
  if (error === undefined) return null;
  const api = error as Partial<ApiError>;
  return (
    <div class="notice error" role="alert">
      <strong>{title ?? 'The request failed'}</strong>
      <p>{error.message}</p>
      {api.code === undefined ? null : (
        <p class="small">
          Code <code>{api.code}</code>
          {api.field === undefined ? null : (
            <>
              {' '}
              · field <code>{api.field}</code>
            </>
          )}
          {api.status === undefined || api.status === 0 ? null : <> · HTTP {api.status}</>}
        </p>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label ?? 'Loading…'}
    </p>
  );
}

/** The view's heading; focused when the view opens, so screen readers announce it. */
export function PageTitle({
  children,
  lead,
}: {
  children: ComponentChildren;
  lead?: ComponentChildren;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <header class="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {lead === undefined ? null : <p class="lead">{lead}</p>}
    </header>
  );
}

export function Section({
  title,
  children,
  actions,
  id,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  id?: string;
}) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-title`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{title}</h2>
        {actions === undefined ? null : <div class="card-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Figure({
  label,
  value,
  hint,
  tone,
}: {
  label: string;
  value: ComponentChildren;
  hint?: ComponentChildren;
  tone?: 'good' | 'warn' | 'bad';
}) {
  return (
    <div class={`figure${tone === undefined ? '' : ` tone-${tone}`}`}>
      <dt>{label}</dt>
      <dd>
        <span class="figure-value">{value}</span>
        {hint === undefined ? null : <span class="figure-hint">{hint}</span>}
      </dd>
    </div>
  );
}

export function Figures({ children, label }: { children: ComponentChildren; label: string }) {
  return (
    <dl class="figures" aria-label={label}>
      {children}
    </dl>
  );
}

/** A participant by name, with its id for those who know the ids. */
export function ParticipantName({ id }: { id: string }) {
  const { participants } = useSession();
  const participant = participants.get(id);
  if (participant === undefined) return <span class="participant">{id}</span>;
  return (
    <span class="participant">
      {participant.name} <span class="muted small">{id}</span>
    </span>
  );
}

/** One term of a description list (<dl class="facts">). */
export function Fact({
  term,
  children,
  mono,
}: {
  term: ComponentChildren;
  children: ComponentChildren;
  mono?: boolean;
}) {
  return (
    <>
      <dt>{term}</dt>
      <dd class={mono === true ? 'mono' : undefined}>{children}</dd>
    </>
  );
}
