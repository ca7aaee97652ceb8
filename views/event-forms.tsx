import type { EventView, FieldView } from '../src/engine/step-view.js';
import { CsrfField } from './csrf.js';

export interface EventFormsProps {
  sessionId: string;
  seq: number;
  events: EventView[];
  /** Values and errors of a form sent back for correction. */
  values?: Record<string, unknown>;
  fieldErrors?: Record<string, string>;
  failedType?: string;
}

/**
 * One form per event that takes fields, and one form holding a button per event that takes none.
 * Each is a real POST that works without JavaScript; htmx swaps the answer in place.
 */
export function EventForms({ sessionId, seq, events, values, fieldErrors, failedType }: EventFormsProps) {
  const withFields = events.filter((e) => e.fields.length > 0);
  // The recommended choice comes first: the eye and the keyboard meet it before the others.
  const buttons = events
    .filter((e) => e.fields.length === 0)
    .sort((a, b) => Number(b.recommended === true) - Number(a.recommended === true));
  return (
    <div class="answers">
      {withFields.map((e) => (
        <StepForm sessionId={sessionId} seq={seq}>
          <input type="hidden" name="type" value={e.type} />
          {e.rule && <p class="form-rule">{e.rule}</p>}
          {failedType === e.type && fieldErrors?.form && (
            <p class="field-error" role="alert">
              {fieldErrors.form}
            </p>
          )}
          {e.fields.map((f) => (
            <Field
              field={f}
              formId={e.type}
              value={failedType === e.type ? values?.[f.name] : f.value}
              error={failedType === e.type ? fieldErrors?.[f.name] : undefined}
            />
          ))}
          <button type="submit">{e.label}</button>
        </StepForm>
      ))}
      {buttons.length > 0 && (
        <StepForm sessionId={sessionId} seq={seq}>
          <div class="choices">
            {buttons.map((e) => (
              <button
                type="submit"
                name="type"
                value={e.type}
                class={
                  e.type === 'ESCALATE' ? 'secondary outline' : e.recommended ? 'recommended' : undefined
                }
              >
                {e.label}
                {e.recommended && <span class="badge"> (recommandé)</span>}
              </button>
            ))}
          </div>
        </StepForm>
      )}
    </div>
  );
}

/** A form that posts to `action` and, with htmx, swaps the conversation for the answer. */
export const postsToConversation = (action: string) =>
  ({
    method: 'post',
    action,
    'hx-post': action,
    'hx-target': '#conversation',
    'hx-swap': 'outerHTML',
  }) as const;

function StepForm({ sessionId, seq, children }: { sessionId: string; seq: number; children: unknown }) {
  const action = `/s/${sessionId}/events`;
  return (
    <form {...postsToConversation(action)} hx-indicator="#running" hx-disable="find button">
      <CsrfField />
      <input type="hidden" name="at" value={String(seq)} />
      {children}
    </form>
  );
}

function Field({
  field,
  formId,
  value,
  error,
}: {
  field: FieldView;
  formId: string;
  value: unknown;
  error?: string;
}) {
  const id = `${formId}-${field.name}`;
  const describedBy = [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const selected = new Set(
    Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [],
  );
  const help = (
    <>
      {field.hint && (
        <small id={`${id}-hint`} class="hint">
          {field.hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </>
  );
  if (field.kind === 'choices' || field.kind === 'choice') {
    const type = field.kind === 'choices' ? 'checkbox' : 'radio';
    // A single account found is the one meant: it comes chosen, the button works at once.
    const only = field.options?.length === 1;
    return (
      <fieldset aria-describedby={describedBy || undefined}>
        <legend>{field.label}</legend>
        {(field.options ?? []).map((o, i) => (
          <label for={`${id}-${i}`}>
            <input
              type={type}
              id={`${id}-${i}`}
              name={field.name}
              value={o.value}
              checked={selected.has(o.value) || (selected.size === 0 && only)}
              required={type === 'radio' && field.required}
            />
            {o.label}
          </label>
        ))}
        {help}
      </fieldset>
    );
  }
  // The hint and the error follow the label rather than sit inside it: they are the field's description
  // (aria-describedby), not part of its name, so a screen reader does not read them twice.
  return (
    <>
      <label for={id}>{field.label}</label>
      {field.kind === 'textarea' ? (
        <textarea {...common} rows={4}>
          {text}
        </textarea>
      ) : (
        <input
          {...common}
          type="text"
          value={text}
          inputmode={field.kind === 'date' ? 'numeric' : undefined}
          placeholder={field.kind === 'date' ? 'JJ/MM/AAAA' : undefined}
        />
      )}
      {help}
    </>
  );
}
