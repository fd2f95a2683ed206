import type { ChatSettings, SettingsField } from '../lib/chat-settings';

type Props = {
  idPrefix: string;
  settings: ChatSettings;
  onChange: (patch: Partial<ChatSettings>) => void;
  invalid?: SettingsField | undefined;
  disabled?: boolean;
};

/** Temperature, top P, max tokens and stop sequences; empty means the model's own default. */
export function InferenceFields({ idPrefix, settings, onChange, invalid, disabled }: Props) {
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <fieldset className="fieldset" disabled={disabled}>
      <legend>Inference parameters</legend>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={id('temperature')}>Temperature</label>
          <input
            id={id('temperature')}
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            placeholder="default"
            value={settings.temperature}
            onChange={(e) => onChange({ temperature: e.target.value })}
            aria-invalid={invalid === 'temperature' || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={id('top-p')}>Top P</label>
          <input
            id={id('top-p')}
            type="number"
            inputMode="decimal"
            min={0}
            max={1}
            step={0.05}
            placeholder="default"
            value={settings.topP}
            onChange={(e) => onChange({ topP: e.target.value })}
            aria-invalid={invalid === 'topP' || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={id('max-tokens')}>Max tokens</label>
          <input
            id={id('max-tokens')}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="default"
            value={settings.maxTokens}
            onChange={(e) => onChange({ maxTokens: e.target.value })}
            aria-invalid={invalid === 'maxTokens' || undefined}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={id('stop')}>Stop sequences</label>
        <textarea
          id={id('stop')}
          rows={2}
          placeholder="one per line, up to 4"
          value={settings.stop}
          onChange={(e) => onChange({ stop: e.target.value })}
          aria-invalid={invalid === 'stop' || undefined}
          aria-describedby={id('stop-hint')}
        />
        <span id={id('stop-hint')} className="hint">
          The answer ends before any of these.
        </span>
      </div>
    </fieldset>
  );
}
