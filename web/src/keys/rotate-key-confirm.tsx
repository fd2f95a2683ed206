import { useEffect, useId, useRef, useState } from 'react';
import { graceSeconds, ROTATION_GRACE } from '../lib/key-terms';

/**
 * The question a rotation asks first: how long the old secret keeps working. The console's own key needs no grace,
 * since the console moves to the new secret at once, so its question says that instead.
 */
export function RotateKeyConfirm({ label, current, busy, onRotate, onCancel }: { label: string; current: boolean; busy: boolean; onRotate: (graceSeconds: number) => void; onCancel: () => void }) {
  const id = useId();
  const [grace, setGrace] = useState('1d');
  const select = useRef<HTMLSelectElement>(null);
  // The keyboard lands on the question it has just asked.
  useEffect(() => select.current?.focus(), []);

  return (
    <div className="row-actions rotate-confirm">
      <div className="field">
        <label htmlFor={`${id}-grace`} className="small">
          Old secret of {label}
        </label>
        <select id={`${id}-grace`} ref={select} value={grace} onChange={(e) => setGrace(e.target.value)} aria-describedby={`${id}-hint`}>
          {ROTATION_GRACE.map((g) => (
            <option key={g.value} value={g.value}>
              {g.value === 'now' ? g.label : `Works ${g.label} more`}
            </option>
          ))}
        </select>
      </div>
      <span id={`${id}-hint`} className="small">
        {current ? 'This console signed in with it and switches to the new secret.' : 'Give the new secret to what uses this key before then.'}
      </span>
      <button type="button" disabled={busy} onClick={() => onRotate(graceSeconds(grace))}>
        {busy ? 'Rotating…' : 'Yes, rotate'}
      </button>
      <button type="button" className="button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
