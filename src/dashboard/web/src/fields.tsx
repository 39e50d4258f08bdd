// Form fields with their label, help and error wired for assistive technology: an error the API
// names (its `field`) marks the input invalid and is read with it.
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';

function errorId(field: string): string {
  return `${field.replaceAll('.', '-')}-error`;
}

/** aria attributes for an input whose API field is `field`. */
export function invalidProps(error: ApiError | undefined, field: string | undefined) {
  return field !== undefined && error?.field === field
    ? { 'aria-invalid': true, 'aria-describedby': errorId(field) }
    : {};
}

export function FieldError({ error, field }: { error: ApiError | undefined; field?: string }) {
  if (field === undefined || error?.field !== field) return null;
  return (
    <p id={errorId(field)} class="field-error">
      {error.message}
    </p>
  );
}

interface TextFieldProps {
  readonly id: string;
  readonly label: ComponentChildren;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** The API's name for this field, to show its errors here. */
  readonly field?: string;
  readonly error?: ApiError | undefined;
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly inputMode?: 'decimal' | 'text';
  readonly pattern?: string;
}

export function TextField(props: TextFieldProps) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        required={props.required}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        pattern={props.pattern}
        autoComplete="off"
        onInput={(event) => props.onValue(event.currentTarget.value)}
        {...invalidProps(props.error, props.field)}
      />
      <FieldError error={props.error} field={props.field} />
    </div>
  );
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

interface SelectFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** Plain options, or groups of them (rendered as optgroups). */
  readonly choices: readonly Choice[] | ReadonlyMap<string, readonly Choice[]>;
  readonly placeholder?: string;
  readonly field?: string;
  readonly error?: ApiError | undefined;
  readonly required?: boolean;
}

function options(choices: readonly Choice[]) {
  return choices.map((choice) => (
    <option key={choice.value} value={choice.value}>
      {choice.label}
    </option>
  ));
}

export function SelectField(props: SelectFieldProps) {
  const { choices } = props;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        required={props.required}
        onChange={(event) => props.onValue(event.currentTarget.value)}
        {...invalidProps(props.error, props.field)}
      >
        {props.placeholder === undefined ? null : <option value="">{props.placeholder}</option>}
        {Array.isArray(choices)
          ? options(choices)
          : [...(choices as ReadonlyMap<string, readonly Choice[]>).entries()].map(
              ([group, items]) => (
                <optgroup key={group} label={group}>
                  {options(items)}
                </optgroup>
              ),
            )}
      </select>
      <FieldError error={props.error} field={props.field} />
    </div>
  );
}

export function Radios(props: {
  readonly name: string;
  readonly legend: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly choices: readonly Choice[];
}) {
  return (
    <fieldset class="radios">
      <legend class="visually-hidden">{props.legend}</legend>
      {props.choices.map((choice) => (
        <label key={choice.value}>
          <input
            type="radio"
            name={props.name}
            value={choice.value}
            checked={props.value === choice.value}
            onChange={() => props.onValue(choice.value)}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
