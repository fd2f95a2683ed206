import type { CatalogModel } from '../api/catalog';

/** A labelled choice among models, showing each model's id (what the APIs take) beside its name. */
export function ModelSelect({ id, label, models, value, onChange, disabled }: { id: string; label: string; models: CatalogModel[]; value: string; onChange: (id: string) => void; disabled?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled || models.length === 0}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name === m.id ? m.id : `${m.name} (${m.id})`}
          </option>
        ))}
      </select>
    </div>
  );
}
