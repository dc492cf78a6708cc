// Small pieces both the console and the portal use: the language switch, labelled fields
// and the live region that announces errors.

import type { ComponentChildren } from 'preact';
import { lang, setLang, t } from './i18n';

export function LangSwitch() {
  const next = lang.value === 'en' ? 'fr' : 'en';
  return (
    <button type="button" class="link" lang={next} onClick={() => setLang(next)} aria-label={`${t('lang.label')}: ${t('lang.switch')}`}>
      {t('lang.switch')}
    </button>
  );
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email';
  required?: boolean;
  invalid?: boolean;
}

export function Field(p: FieldProps) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <input
        {...({ type: p.type ?? 'text' } as { type: 'text' })}
        id={p.id}
        name={p.id}
        value={p.value}
        autocomplete={p.autocomplete}
        inputMode={p.inputmode}
        required={p.required ?? true}
        aria-invalid={p.invalid ? 'true' : undefined}
        onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

export function Alert({ children }: { children: ComponentChildren }) {
  return (
    <p class="alert" role="alert">
      {children}
    </p>
  );
}

export function Header({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <span class="brand">{title}</span>
      <div class="top-actions">
        {children}
        <LangSwitch />
      </div>
    </header>
  );
}
