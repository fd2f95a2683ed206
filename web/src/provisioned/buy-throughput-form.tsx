import { type FormEvent, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { ProvisionedApi } from '../api/provisioned';
import { FieldError } from '../components/notice';
import { textModels, useConsole } from '../console-context';
import { formatUsd } from '../lib/format';
import { COMMITMENT_LABEL, type Commitment, type ProvisionedPrice, PT_NAME, PT_NAME_RULE, rateOf } from '../lib/provisioned-terms';

/** AWS's month of hours in its estimates; a commitment bills every one of them. */
const HOURS_PER_MONTH = 730;

const newToken = () => crypto.randomUUID();

/**
 * Buys model units. The form carries one idempotency token until a purchase succeeds, so a double submit or a retry
 * after a lost answer buys the units once (CreateProvisionedModelThroughput's clientRequestToken).
 */
export function BuyThroughputForm({ pt, onBought }: { pt: ProvisionedApi; onBought: () => void }) {
  const { catalog } = useConsole();
  const models = textModels(catalog.models);
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [units, setUnits] = useState('1');
  const [commitment, setCommitment] = useState<Commitment | ''>('');
  const [price, setPrice] = useState<{ model: string; price: ProvisionedPrice | undefined }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState(newToken);
  useEffect(() => {
    if (!model && models[0]) setModel(models[0].id);
  }, [model, models]);
  useEffect(() => {
    if (!model) return;
    const ac = new AbortController();
    pt.price(model, ac.signal).then(
      (p) => setPrice({ model, price: p }),
      (e: unknown) => {
        // A key that may not read the catalog can still buy; the estimate is simply left out.
        if (!isAbort(e)) setPrice(undefined);
      },
    );
    return () => ac.abort();
  }, [pt, model]);

  const n = Number(units);
  const rate = price?.model === model ? rateOf(price.price, commitment) : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!PT_NAME.test(name)) return setError(`Name: ${PT_NAME_RULE}`);
    if (!models.some((m) => m.id === model)) return setError('Choose the model to reserve units of.');
    if (!Number.isInteger(n) || n < 1 || n > 10_000) return setError('Model units must be a whole number from 1 to 10,000.');
    setBusy(true);
    setError(undefined);
    try {
      await pt.create({ name, modelId: model, units: n, commitment, clientRequestToken: token });
      setToken(newToken());
      setName('');
      onBought();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="pt-buy-title" noValidate>
      <h2 id="pt-buy-title">Buy provisioned throughput</h2>
      <div className="field">
        <label htmlFor="pt-name">Name</label>
        <input id="pt-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="pt-name-hint" autoComplete="off" />
        <span id="pt-name-hint" className="hint">
          {PT_NAME_RULE}
        </span>
      </div>
      <div className="field">
        <label htmlFor="pt-model">Model</label>
        <select id="pt-model" value={model} onChange={(e) => setModel(e.target.value)} disabled={models.length === 0}>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
            </option>
          ))}
        </select>
        {catalog.models && models.length === 0 && <span className="hint">This server has no text model to reserve units of.</span>}
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="pt-units">Model units</label>
          <input id="pt-units" type="number" inputMode="numeric" min={1} max={10000} step={1} value={units} onChange={(e) => setUnits(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pt-commitment">Commitment</label>
          <select id="pt-commitment" value={commitment} onChange={(e) => setCommitment(e.target.value as Commitment | '')}>
            {(Object.keys(COMMITMENT_LABEL) as (Commitment | '')[]).map((c) => (
              <option key={c} value={c}>
                {COMMITMENT_LABEL[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="hint" data-testid="pt-estimate">
        {price?.model === model && rate === undefined
          ? `The pricing catalog has no ${COMMITMENT_LABEL[commitment].toLowerCase()} provisioned price for ${model}; the server refuses to buy units it cannot bill. An operator sets one with "quarry pricing set".`
          : rate !== undefined && Number.isInteger(n) && n >= 1
            ? `${formatUsd(rate)} per unit-hour: about ${formatUsd(rate * n * HOURS_PER_MONTH)} a month for ${n} unit${n === 1 ? '' : 's'}, billed every hour whether used or not.${commitment ? ' It cannot be deleted before the commitment ends.' : ''}`
            : 'Units are billed every hour whether used or not.'}
      </p>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy || models.length === 0}>
          {busy ? 'Buying…' : 'Buy throughput'}
        </button>
      </div>
    </form>
  );
}
