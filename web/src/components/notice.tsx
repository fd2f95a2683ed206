import type { ReactNode } from 'react';

/** An error the user can act on: what went wrong (the server's own words) and, where known, what to do. */
export function ErrorNotice({ title, children, onRetry }: { title?: string; children: ReactNode; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong className="notice-title">{title}</strong>}
      <div>{children}</div>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A form's or an action's error, under the control it concerns: nothing when there is none. An alert, so a screen
 * reader announces it when it appears.
 */
export function FieldError({ message, className }: { message: ReactNode; className?: string }) {
  if (!message) return null;
  return (
    <p className={className ? `field-error ${className}` : 'field-error'} role="alert">
      {message}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong className="empty-title">{title}</strong>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}
