/** A labelled group of radio buttons: a fieldset with a legend, each option with an optional hint. */
import { useId } from 'react';

/** One option of a RadioGroup. */
export interface RadioOption<V extends string> {
  value: V;
  label: string;
  hint?: string | undefined;
  disabled?: boolean;
}

/** Props of a RadioGroup. The value is controlled by the parent. */
export interface RadioGroupProps<V extends string> {
  legend: string;
  value: V;
  onChange: (next: V) => void;
  options: readonly RadioOption<V>[];
}

/** Radio buttons in a fieldset; the legend names the group for assistive technology. */
export function RadioGroup<V extends string>({ legend, value, onChange, options }: RadioGroupProps<V>) {
  const name = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">{legend}</legend>
      <div className="checks">
        {options.map((option) => {
          const id = `${name}-${option.value}`;
          return (
            <div key={option.value} className="check">
              <input
                id={id}
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                disabled={option.disabled}
                aria-describedby={option.hint ? `${id}-hint` : undefined}
                onChange={() => onChange(option.value)}
              />
              <div>
                <label htmlFor={id} className="check-label">
                  {option.label}
                </label>
                {option.hint && (
                  <p id={`${id}-hint`} className="field-hint">
                    {option.hint}
                  </p>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
